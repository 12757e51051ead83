-- 0005_messages: the outbox of messages to citizens and the templates
-- they are made from (docs/notifications.md).

-- Message templates (GOV.UK Notify's model): one per event and channel,
-- versioned. A message keeps the id and version of the template it was
-- made from; a new wording is a new version, and the highest active one
-- is used. Placeholders in braces (docs/notifications.md): {code},
-- {procedure}, {agency}, {due}, {date}, {reason}, {amount}, {link},
-- {otp}, {minutes}.
CREATE TABLE message_templates (
  id         INTEGER PRIMARY KEY,
  event      TEXT NOT NULL,
  channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  version    INTEGER NOT NULL,
  subject    TEXT,
  body       TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  UNIQUE (event, channel, version)
);

-- The outbox: every message to the outside, written in the same
-- transaction as the event that causes it, then delivered by the
-- delivery workers (src/jobs/outbox.c) at least once, with the
-- idempotency key, retried with back-off until expires_at.
--
-- status: created (waiting, including between retries), sending (a
-- worker holds it until locked_until), sent (the gateway took it),
-- delivered (its receipt said so), temporary_failure and
-- permanent_failure (the receipt said it could not be delivered, for now
-- or for good, or the gateway refused it for good), technical_failure
-- (it could not be handed over before expires_at).
-- priority: 0 one-time codes, 1 case messages, 2 bulk.
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  province_code   TEXT NOT NULL,
  dossier_id      INTEGER REFERENCES dossiers (id),
  event           TEXT NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
  recipient       TEXT NOT NULL,
  template_id     INTEGER REFERENCES message_templates (id),
  template_version INTEGER,
  subject         TEXT,
  body            TEXT NOT NULL,
  priority        INTEGER NOT NULL CHECK (priority IN (0, 1, 2)),
  status          TEXT NOT NULL CHECK (status IN ('created', 'sending',
                    'sent', 'delivered', 'temporary_failure',
                    'permanent_failure', 'technical_failure')),
  idempotency_key TEXT NOT NULL UNIQUE,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  locked_until    TEXT,
  expires_at      TEXT NOT NULL,
  provider_id     TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT,
  done_at         TEXT,
  updated_at      TEXT NOT NULL
);
-- What the workers take next: only the messages still to hand over.
CREATE INDEX messages_due ON messages (priority, next_attempt_at)
  WHERE status IN ('created', 'sending');
CREATE INDEX messages_dossier ON messages (dossier_id);
CREATE INDEX messages_provider ON messages (provider_id);
CREATE INDEX messages_status ON messages (status, created_at);

-- The shipped wording, version 1 of each.
INSERT INTO message_templates (event, channel, version, subject, body, active,
  created_at) VALUES
  ('received', 'sms', 1, NULL, 'Hồ sơ {code} ({procedure}) đã được tiếp nhận tại {agency}. Hẹn trả kết quả: {due}. Tra cứu: {link}', 1, '2026-11-27T00:00:00Z'),
  ('received', 'email', 1, 'Hồ sơ {code} đã được tiếp nhận', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" đã được {agency} tiếp nhận.
Thời gian hẹn trả kết quả: {due}.

Ông/bà có thể tra cứu tình trạng hồ sơ tại: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('supplement_requested', 'sms', 1, NULL, 'Hồ sơ {code} cần bổ sung, hoàn thiện: {reason}. Tra cứu: {link}', 1, '2026-11-27T00:00:00Z'),
  ('supplement_requested', 'email', 1, 'Hồ sơ {code} cần bổ sung', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" cần được bổ sung, hoàn thiện:
{reason}

Tra cứu hồ sơ: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('apology', 'sms', 1, NULL, '{agency} xin lỗi vì hồ sơ {code} chậm so với hẹn. Thời gian hẹn trả mới: {due}. Lý do: {reason}', 1, '2026-11-27T00:00:00Z'),
  ('apology', 'email', 1, 'Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}', 'Kính gửi ông/bà,

{agency} xin lỗi vì hồ sơ {code} về thủ tục "{procedure}" chưa giải quyết được đúng hạn.
Lý do: {reason}
Thời gian hẹn trả kết quả mới: {due}.

Tra cứu hồ sơ: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('result_ready', 'sms', 1, NULL, 'Hồ sơ {code} đã có kết quả. Mời ông/bà đến nhận kết quả tại {agency} hoặc tra cứu: {link}', 1, '2026-11-27T00:00:00Z'),
  ('result_ready', 'email', 1, 'Hồ sơ {code} đã có kết quả', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" đã có kết quả.
Mời ông/bà đến nhận kết quả tại {agency}, hoặc tra cứu: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('returned', 'sms', 1, NULL, 'Hồ sơ {code} đã được trả kết quả ngày {date}. Mời ông/bà đánh giá mức độ hài lòng: {link}', 1, '2026-11-27T00:00:00Z'),
  ('returned', 'email', 1, 'Hồ sơ {code} đã được trả kết quả', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" đã được trả kết quả ngày {date}.
Mời ông/bà đánh giá mức độ hài lòng: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('refused', 'sms', 1, NULL, 'Hồ sơ {code} không được giải quyết. Lý do: {reason}. Tra cứu: {link}', 1, '2026-11-27T00:00:00Z'),
  ('refused', 'email', 1, 'Hồ sơ {code} không được giải quyết', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" không được giải quyết.
Lý do: {reason}

Tra cứu hồ sơ: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('stopped', 'sms', 1, NULL, 'Hồ sơ {code} đã dừng xử lý. Lý do: {reason}. Tra cứu: {link}', 1, '2026-11-27T00:00:00Z'),
  ('stopped', 'email', 1, 'Hồ sơ {code} đã dừng xử lý', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" đã dừng xử lý.
Lý do: {reason}

Tra cứu hồ sơ: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('withdrawn', 'sms', 1, NULL, 'Hồ sơ {code} đã được rút theo đề nghị của ông/bà ngày {date}.', 1, '2026-11-27T00:00:00Z'),
  ('withdrawn', 'email', 1, 'Hồ sơ {code} đã được rút', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" đã được rút theo đề nghị của ông/bà ngày {date}.

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('payment_due', 'sms', 1, NULL, 'Hồ sơ {code}: vui lòng nộp phí, lệ phí {amount}. Tra cứu và thanh toán: {link}', 1, '2026-11-27T00:00:00Z'),
  ('payment_due', 'email', 1, 'Hồ sơ {code}: thông báo nộp phí, lệ phí', 'Kính gửi ông/bà,

Hồ sơ {code} về thủ tục "{procedure}" cần nộp phí, lệ phí: {amount}.
Tra cứu và thanh toán: {link}

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('payment_received', 'sms', 1, NULL, 'Đã nhận {amount} phí, lệ phí của hồ sơ {code}. Xin cảm ơn.', 1, '2026-11-27T00:00:00Z'),
  ('payment_received', 'email', 1, 'Hồ sơ {code}: đã nhận phí, lệ phí', 'Kính gửi ông/bà,

{agency} đã nhận {amount} phí, lệ phí của hồ sơ {code}.

Trân trọng.', 1, '2026-11-27T00:00:00Z'),
  ('otp', 'sms', 1, NULL, 'Mã xác thực Dịch vụ công của ông/bà là {otp}, có hiệu lực trong {minutes} phút. Không cung cấp mã này cho bất kỳ ai.', 1, '2026-11-27T00:00:00Z'),
  ('otp', 'email', 1, 'Mã xác thực Dịch vụ công', 'Mã xác thực của ông/bà là {otp}, có hiệu lực trong {minutes} phút.
Không cung cấp mã này cho bất kỳ ai, kể cả cán bộ.
', 1, '2026-11-27T00:00:00Z');
