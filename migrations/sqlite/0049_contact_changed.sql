-- phase: expand
-- 0049_contact_changed: the phone or e-mail a citizen's one-time codes go
-- to is the one given with their latest dossier; the one it replaces is
-- told (event contact_changed, docs/citizens.md), so that a dossier filed
-- under someone's ID with another phone cannot take their sign-ins
-- unnoticed. Placeholders {code}, {agency}, {date}.
INSERT INTO message_templates (event, channel, version, subject, body, active,
  created_at) VALUES
  ('contact_changed', 'sms', 1, NULL, 'Từ ngày {date}, tin nhắn và mã đăng nhập Dịch vụ công của ông/bà gửi đến số điện thoại khai trong hồ sơ {code} tại {agency}, không còn gửi đến số này. Nếu ông/bà không nộp hồ sơ đó, xin báo ngay cho {agency}.', 1, '2026-11-28T00:00:00Z'),
  ('contact_changed', 'email', 1, 'Địa chỉ nhận mã đăng nhập Dịch vụ công đã thay đổi', 'Kính gửi ông/bà,

Từ ngày {date}, tin nhắn và mã đăng nhập Dịch vụ công của ông/bà được gửi đến địa chỉ khai trong hồ sơ {code} tại {agency}, không còn gửi đến địa chỉ này.

Nếu ông/bà không nộp hồ sơ đó, xin báo ngay cho {agency}.

Trân trọng.', 1, '2026-11-28T00:00:00Z');
