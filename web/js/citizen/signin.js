// signin.js — Đăng nhập: the ID number, then the 6-digit code sent by
// SMS to the phone of the citizen's latest dossier. The answer is the
// same whether or not the ID is on record (it tells no one who is).
import { post, setSession } from '../api.js';
import { h, clear, field, busy, announce, showError } from '../dom.js';

export async function render(view, ctx) {
	const next = ctx.params.join('/') || '/ho-so';
	const id = h('input', { name: 'id_number', inputmode: 'numeric', autocomplete: 'username', required: true, maxlength: 14 });
	const ask = h('button', { type: 'submit', class: 'primary' }, 'Nhận mã đăng nhập');
	const step1 = h('form', { class: 'card login', 'aria-labelledby': 'signin-h' },
		h('h2', { id: 'signin-h' }, 'Đăng nhập'),
		h('p', {}, 'Nhập số định danh cá nhân (12 số trên căn cước). Mã đăng nhập gửi bằng tin nhắn đến số điện thoại bạn đã khai ở hồ sơ gần nhất.'),
		field('Số định danh cá nhân', id), h('div', { class: 'actions' }, ask));
	step1.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const v = id.value.replace(/\s/g, '');
		if (!/^\d{12}$/.test(v) && !/^\d{10}(-\d{3})?$/.test(v)) {
			showError(step1, new Error('Số định danh cá nhân: nhập đủ 12 chữ số (tổ chức: mã số thuế).'));
			id.focus();
			return;
		}
		const r = await busy(ask, step1, () => post('/api/v1/citizen/otp', { id_number: v, channel: 'sms' }, { auth: null }));
		if (r !== undefined)
			codeStep(view, v, next);
	});
	clear(view, step1);
	id.focus();
}

function codeStep(view, id, next) {
	const code = h('input', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, required: true });
	const go = h('button', { type: 'submit', class: 'primary' }, 'Đăng nhập');
	const again = h('a', { href: '#/dang-nhap' }, 'Nhập lại số định danh hoặc xin mã mới');
	const form = h('form', { class: 'card login', 'aria-labelledby': 'code-h' },
		h('h2', { id: 'code-h', tabindex: '-1' }, 'Nhập mã đăng nhập'),
		h('p', {}, 'Nếu số định danh có trong hệ thống, mã 6 chữ số đã được gửi bằng tin nhắn. Mã dùng được 5 phút và một lần.'),
		field('Mã đăng nhập', code), h('div', { class: 'actions' }, go), h('p', {}, again));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const r = await busy(go, form, () => post('/api/v1/citizen/login', { id_number: id, code: code.value.trim() }, { auth: null })
			.catch((e) => {
				if (e.status === 401)
					e.message = 'Mã đăng nhập không đúng hoặc đã hết hạn. Kiểm tra tin nhắn mới nhất, hoặc xin mã mới.';
				throw e;
			}));
		if (!r)
			return;
		setSession('citizen', { token: r.token, expires_at: r.expires_at, citizen: r.citizen });
		announce(`Xin chào ${r.citizen.name}.`);
		location.hash = `#${next.startsWith('/') ? next : `/${next}`}`;
	});
	clear(view, form);
	form.querySelector('h2').focus();
}
