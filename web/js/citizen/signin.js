// signin.js — Đăng nhập: the ID number, then the 6-digit code sent by
// SMS to the phone of the citizen's latest dossier. The answer is the
// same whether or not the ID is on record (it tells no one who is).
import { get, post, setSession } from '../api.js';
import { h, clear, field, busy, announce, showError } from '../dom.js';

const ERRORS = {
	access_denied: 'Bạn đã không đồng ý đăng nhập bằng VNeID.',
	refused: 'Hệ thống định danh từ chối đăng nhập. Thử lại, hoặc dùng mã gửi qua tin nhắn.',
	unavailable: 'Hệ thống định danh VNeID chưa trả lời. Thử lại sau ít phút, hoặc dùng mã gửi qua tin nhắn.',
	no_id_number: 'Tài khoản VNeID chưa có số định danh cá nhân. Dùng mã gửi qua tin nhắn.',
	invalid: 'Không xác thực được kết quả đăng nhập VNeID. Thử lại.',
};

// The ticket VNeID's sign-in came back with (?login=), traded for the
// session; or why it failed (?login_error=). Called at page load.
export async function comeBack() {
	const q = new URLSearchParams(location.search);
	const ticket = q.get('login');
	const failed = q.get('login_error');
	if (!ticket && !failed)
		return null;
	const next = q.get('next') || '/ho-so';
	history.replaceState(null, '', `/dichvucong/#${next}`);
	if (failed)
		return ERRORS[failed] || ERRORS.invalid;
	try {
		const r = await post('/api/v1/citizen/oidc/session', { ticket }, { auth: null });
		setSession('citizen', { token: r.token, expires_at: r.expires_at, citizen: r.citizen });
		announce(`Xin chào ${r.citizen.name}.`);
		return null;
	} catch (e) {
		location.hash = '#/dang-nhap';
		return e.status === 401 ? 'Phiên đăng nhập VNeID đã hết hạn hoặc đã dùng. Đăng nhập lại.' : e.message;
	}
}

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
	let ways = { otp: { sms: true }, vneid: false };
	try {
		ways = await get('/api/v1/citizen/signin', { auth: null });
	} catch { /* offer the code; it says itself if it cannot be sent */ }
	const vneid = ways.vneid ? h('section', { class: 'card login', 'aria-labelledby': 'vneid-h' },
		h('h2', { id: 'vneid-h' }, 'Đăng nhập bằng VNeID'),
		h('p', {}, 'Dùng tài khoản định danh điện tử (ứng dụng VNeID) qua Cổng Dịch vụ công quốc gia.'),
		h('div', { class: 'actions' }, h('a', { class: 'button primary', id: 'vneid', href:
			`/api/v1/citizen/oidc/start?return_to=${encodeURIComponent(`/dichvucong/?next=${encodeURIComponent(next.startsWith('/') ? next : `/${next}`)}`)}` },
		'Đăng nhập bằng tài khoản VNeID'))) : null;
	if (!ways.otp.sms && !ways.otp.email) {
		clear(view, vneid || h('p', { class: 'notice' }, 'Đăng nhập trực tuyến chưa được cấu hình. Vui lòng liên hệ Bộ phận một cửa.'));
		return;
	}
	clear(view, vneid, step1);
	if (!vneid)
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
