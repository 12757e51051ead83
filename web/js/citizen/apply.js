// apply.js — Nộp hồ sơ trực tuyến: for each paper, the citizen's stored
// document offered first (already chosen when there is one: what is on
// record is not asked again), else a file to upload with its progress,
// else the paper brought later. The form is kept on the phone as it is
// filled; a dropped connection loses nothing.
import { get, post, qs, newKey, sendWhenOnline } from '../api.js';
import { h, clear, field, busy, keepDraft, showError, announce } from '../dom.js';
import { FORM, period, money } from '../fmt.js';
import { upload } from '../upload.js';

export async function render(view, ctx) {
	const code = ctx.params[0];
	let p, offers, centres;
	try {
		[p, offers, centres] = await Promise.all([
			get(`/api/v1/procedures/${encodeURIComponent(code)}`, { auth: null }),
			get(`/api/v1/citizen/offers${qs({ procedure: code })}`, { auth: 'citizen' }),
			get('/api/v1/public/centres', { auth: null }),
		]);
	} catch (e) {
		clear(view);
		showError(view, e);
		return;
	}
	const docs = {};
	for (const o of offers.items || [])
		docs[o.component] = o.documents || [];
	const form = h('form', { class: 'card', 'aria-labelledby': 'apply-h', novalidate: true });
	const parts = p.components.map((c) => component(c, docs[c.code] || []));
	const where = h('select', { name: 'unit_code' }, centres.items.map((c) =>
		h('option', { value: c.code }, c.name)));
	const phone = h('input', { name: 'phone', type: 'tel', autocomplete: 'tel' });
	const ret = h('select', { name: 'return_channel' },
		h('option', { value: 'online' }, 'Nhận kết quả điện tử (trực tuyến)'),
		h('option', { value: 'counter' }, 'Nhận tại Bộ phận một cửa'),
		h('option', { value: 'postal' }, 'Nhận qua bưu chính'));
	const send = h('button', { type: 'submit', class: 'primary' }, 'Nộp hồ sơ');
	const key = h('input', { type: 'hidden', name: 'idempotency_key', value: newKey() });
	clear(form, h('h2', { id: 'apply-h' }, `Nộp hồ sơ: ${p.name}`),
		h('p', { class: 'muted' }, `Thời hạn giải quyết ${period(p.processing_time)}. ` +
			(p.fees.length ? `Phí, lệ phí: ${p.fees.map((f) => money(f.amount)).join(' + ')}.` : 'Không thu phí, lệ phí.')),
		field('Nơi nộp hồ sơ', where, 'Trung tâm Phục vụ hành chính công tiếp nhận và trả kết quả.'),
		h('h3', {}, 'Thành phần hồ sơ'), parts,
		h('h3', {}, 'Liên hệ và nhận kết quả'),
		field('Số điện thoại nhận tin nhắn', phone, 'Để trống: dùng số đã đăng ký.'),
		field('Cách nhận kết quả', ret),
		key, h('div', { class: 'actions' }, send));
	clear(view, form);
	const draft = keepDraft(form, `apply.${code}`);
	if (draft.restore())
		announce('Đã khôi phục hồ sơ đang khai dở trên máy này.');
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const body = { procedure_code: p.code, unit_code: where.value, return_channel: ret.value, components: [] };
		for (const c of p.components) {
			const how = form.querySelector(`input[name="how.${c.code}"]:checked`);
			const v = how ? how.value : 'paper';
			if (v.startsWith('doc:'))
				body.components.push({ code: c.code, provided: true, document_id: Number(v.slice(4)) });
			else if (v === 'file' && form.elements[`file.${c.code}`].value)
				body.components.push({ code: c.code, provided: true, file: form.elements[`file.${c.code}`].value });
			else if (v === 'file' && c.required)
				return showError(form, new Error(`${c.name}: chọn tệp và bấm «Tải tệp lên» trước khi nộp.`));
			else
				body.components.push({ code: c.code, provided: false });
		}
		if (phone.value.trim())
			body.phone = phone.value.trim();
		draft.save();
		const d = await busy(send, form, () => sendWhenOnline(() => post('/api/v1/citizen/dossiers', body,
			{ auth: 'citizen', idempotencyKey: key.value }), () => showError(form, new Error(
			'Mất kết nối. Hồ sơ được giữ trên điện thoại và sẽ tự gửi khi có mạng lại; không bị nộp hai lần.'))));
		if (!d)
			return undefined;
		draft.forget();
		clear(view, h('section', { class: 'card success', id: 'submitted' },
			h('h2', { tabindex: '-1' }, 'Đã nộp hồ sơ'),
			h('p', {}, 'Mã hồ sơ: ', h('strong', { class: 'code', id: 'new-code' }, d.code)),
			h('p', {}, 'Bộ phận một cửa sẽ kiểm tra và tiếp nhận; bạn nhận tin nhắn khi hồ sơ được tiếp nhận, kèm ngày hẹn trả kết quả.'),
			h('p', {}, h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, 'Theo dõi hồ sơ này'))));
		view.querySelector('h2').focus();
		return undefined;
	});
}

// One paper: reuse a stored document, upload a file, or bring it later.
// The uploaded file's SHA-256 is kept in a hidden field: in the draft too.
function component(c, docs) {
	const name = `how.${c.code}`;
	const file = h('input', { type: 'file', accept: 'application/pdf,image/jpeg,image/png', 'aria-label': `Tệp ${c.name}` });
	const bar = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': `Tiến độ tải ${c.name}` });
	const note = h('p', { class: 'muted', 'aria-live': 'polite' });
	const sha = h('input', { type: 'hidden', name: `file.${c.code}` });
	const go = h('button', { type: 'button' }, 'Tải tệp lên');
	const box = h('fieldset', { class: 'component' },
		h('legend', {}, `${c.name}${c.required ? ' (bắt buộc)' : ' (nếu có)'}`),
		h('p', { class: 'muted' }, `${FORM[c.form] || c.form}, ${c.quantity} bản`));
	const radio = (value, label, checked) => h('label', { class: 'check' },
		h('input', { type: 'radio', name, value, checked }), h('span', {}, label));
	docs.forEach((d, i) => box.append(radio(`doc:${d.id}`,
		`Dùng giấy tờ đã lưu: ${d.type_code}${d.number ? ` số ${d.number}` : ''}` +
		(d.valid_until ? `, hiệu lực đến ${d.valid_until.split('-').reverse().join('/')}` : ''), i === 0)));
	box.append(radio('file', 'Tải tệp lên (PDF, JPEG, PNG)', !docs.length),
		h('div', { class: 'upload' }, file, go, bar, note, sha),
		radio('paper', 'Nộp bản giấy khi đến nhận kết quả', false));
	go.addEventListener('click', () => busy(go, box, async () => {
		if (!file.files[0])
			throw new Error(`${c.name}: chọn tệp trước.`);
		box.querySelector(`input[value="file"]`).checked = true;
		bar.hidden = false;
		sha.value = await upload(file.files[0], (n, t) => {
			bar.value = t ? Math.round(100 * n / t) : 100;
		}, 'citizen');
		sha.dispatchEvent(new Event('change', { bubbles: true }));
		note.textContent = `Đã tải lên: ${file.files[0].name}.`;
	}));
	return box;
}
