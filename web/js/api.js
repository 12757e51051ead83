// api.js — the one door to motcua's API for every page: the session's
// bearer token, JSON in and out, and errors turned into sentences a
// Vietnamese officer or citizen can act on (what went wrong, what to do).

// Where each kind of session lives: staff in this tab only (shared PCs at
// the counter), citizens likewise.
const STORE = { staff: 'motcua.staff', citizen: 'motcua.citizen' };

export function session(kind = 'staff') {
	try {
		const s = JSON.parse(sessionStorage.getItem(STORE[kind]) || 'null');
		if (s && s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
			sessionStorage.removeItem(STORE[kind]);
			return null;
		}
		return s;
	} catch {
		return null;
	}
}

export function setSession(kind, s) {
	if (s)
		sessionStorage.setItem(STORE[kind], JSON.stringify(s));
	else
		sessionStorage.removeItem(STORE[kind]);
}

// Field names of the API as a person knows them.
const FIELDS = {
	procedure_code: 'Thủ tục', channel: 'Hình thức nộp',
	'applicant.id_number': 'Số định danh / mã số thuế',
	'applicant.name': 'Họ và tên', 'applicant.phone': 'Số điện thoại',
	'applicant.address': 'Địa chỉ', 'applicant.email': 'Thư điện tử',
	components: 'Thành phần hồ sơ', reason: 'Lý do', items: 'Nội dung cần bổ sung',
	new_due_at: 'Ngày hẹn mới', unit_code: 'Đơn vị', assignee: 'Người xử lý',
	username: 'Tên đăng nhập', password: 'Mật khẩu', code: 'Mã',
	phone_last4: '4 số cuối điện thoại', id_number: 'Số định danh',
	level: 'Mức đánh giá', comment: 'Ý kiến', from: 'Từ ngày', to: 'Đến ngày',
	'result.number': 'Số văn bản kết quả',
	name: 'Tên', field: 'Lĩnh vực', 'result.document_type': 'Kết quả giải quyết',
	processing_time: 'Thời hạn giải quyết', steps: 'Quy trình nội bộ', fees: 'Phí, lệ phí',
	valid_from: 'Áp dụng từ ngày', decision_number: 'Số quyết định', decision_date: 'Ngày quyết định',
	full_name: 'Họ và tên', role: 'Vai trò', parent_code: 'Đơn vị cấp trên',
};

// Rules (stable codes of the API) in words.
const RULES = {
	required: 'chưa nhập (bắt buộc)',
	format: 'không đúng định dạng',
	one_of: 'không phải một giá trị được phép',
	enum: 'không phải một giá trị được phép',
	exists: 'không tồn tại',
	in_force: 'không còn hiệu lực',
	max_length: 'dài quá mức cho phép',
	min_length: 'ngắn quá',
	max: 'lớn quá', min: 'nhỏ quá', range: 'ngoài khoảng cho phép',
	province: 'có mã tỉnh không hợp lệ',
	birth_year: 'có năm sinh không hợp lệ',
	check_digit: 'sai số kiểm tra',
	prefix: 'có đầu số không hợp lệ',
	unknown: 'không được hỗ trợ',
	status: 'không làm được ở trạng thái hiện tại của hồ sơ',
	role: 'không thuộc quyền của tài khoản này',
	unit: 'không thuộc đơn vị của tài khoản này',
	changed: 'đã được người khác thay đổi; tải lại trang rồi làm lại',
	supplement_once: 'chỉ được yêu cầu bổ sung một lần',
	supplement_window: 'đã quá 3 ngày làm việc kể từ khi tiếp nhận',
	after_due: 'phải sau ngày hẹn hiện tại',
	apology_window: 'phải xin lỗi trước ngày hẹn ít nhất 1 ngày làm việc',
	apology_once: 'chỉ được xin lỗi, hẹn lại một lần',
	last_step: 'đây là bước cuối: chọn đơn vị nhận hoặc hoàn thành',
	on_the_spot: 'chỉ thủ tục giải quyết ngay mới hoàn thành tại quầy',
	reusable: 'giấy tờ lưu trữ không dùng lại được',
	reuse: 'cần ghi lý do yêu cầu nộp lại giấy tờ đã có trong kho',
	unique: 'đã có',
	invalid: 'không đúng hoặc đã hết hạn',
	attempts: 'đã nhập sai quá số lần cho phép; hãy xin mã mới',
	size: 'quá lớn',
	shares: 'tỷ lệ thời gian các bước phải cộng lại đúng 100%',
	after_current: 'phải sau ngày áp dụng của phiên bản đang dùng',
	before_from: 'không được sau ngày áp dụng',
	placeholder: 'có chỗ điền không được hỗ trợ',
	conflict: 'đã có',
};

export class ApiError extends Error {
	constructor(status, problem, message) {
		super(message);
		this.status = status;
		this.problem = problem;
	}
}

// The sentence shown for a problem+json answer.
export function explain(status, p) {
	if (status === 0)
		return 'Không kết nối được máy chủ. Kiểm tra đường truyền rồi thử ' +
			'lại; thông tin đang nhập vẫn được giữ trên máy này.';
	if (status === 401)
		return p && /credentials/.test(p.type || '') ?
			'Tên đăng nhập hoặc mật khẩu không đúng.' :
			'Phiên làm việc đã hết. Vui lòng đăng nhập lại.';
	if (status === 403)
		return 'Tài khoản của bạn không có quyền làm việc này.';
	if (status === 423)
		return 'Tài khoản tạm bị khóa vì nhập sai nhiều lần. Thử lại sau ' +
			'15 phút hoặc liên hệ quản trị hệ thống.';
	if (status === 429)
		return 'Bạn thao tác quá nhiều lần. Vui lòng đợi ít phút rồi thử lại.';
	if (status === 413)
		return 'Tệp hoặc dữ liệu gửi lên quá lớn.';
	if (p && Array.isArray(p.errors) && p.errors.length) {
		return p.errors.map((e) => {
			const base = String(e.field || '').replace(/\[\d+\]/g, '');
			const name = FIELDS[e.field] || FIELDS[base] || e.field;
			const rule = RULES[e.rule];
			return rule ? `${name}: ${rule}.` :
				`${name}: ${e.message || e.rule}.`;
		}).join(' ');
	}
	if (status === 404)
		return 'Không tìm thấy. Kiểm tra lại mã đã nhập.';
	if (status >= 500)
		return 'Hệ thống đang bận hoặc gặp sự cố. Vui lòng thử lại sau ít ' +
			'phút; nếu vẫn lỗi, báo quản trị hệ thống (mã yêu cầu ' +
			`${(p && p.request_id) || '—'}).`;
	return (p && p.title) || `Lỗi ${status}.`;
}

let onUnauthorized = null;

// Called when a signed-in request gets 401 (the session ended).
export function whenSignedOut(fn) {
	onUnauthorized = fn;
}

async function send(method, path, body, opts = {}) {
	const kind = opts.auth === undefined ? 'staff' : opts.auth;
	const s = kind ? session(kind) : null;
	const headers = { Accept: 'application/json' };
	if (s && s.token)
		headers.Authorization = `Bearer ${s.token}`;
	if (opts.idempotencyKey)
		headers['Idempotency-Key'] = opts.idempotencyKey;
	let payload;
	if (body instanceof Blob || body instanceof ArrayBuffer) {
		payload = body;
		headers['Content-Type'] = opts.type || 'application/octet-stream';
	} else if (body !== undefined) {
		payload = JSON.stringify(body);
		headers['Content-Type'] = 'application/json';
	}
	let res;
	try {
		res = await fetch(path, { method, headers, body: payload });
	} catch {
		throw new ApiError(0, null, explain(0, null));
	}
	return { res, kind, s };
}

// One request; resolves to the JSON answer (or null), throws ApiError.
export async function api(method, path, body, opts = {}) {
	const { res, kind, s } = await send(method, path, body, opts);
	const text = await res.text();
	let json = null;
	if (text) {
		try { json = JSON.parse(text); } catch { json = null; }
	}
	if (!res.ok) {
		if (res.status === 401 && s && onUnauthorized && path !==
		    '/api/v1/auth/login') {
			setSession(kind, null);
			onUnauthorized();
		}
		throw new ApiError(res.status, json, explain(res.status, json));
	}
	return json;
}

// A file the API gives only to a signed-in user (a PDF form, a QR code):
// fetched with the token, handed back as an object URL.
export async function blobUrl(path, opts = {}) {
	const { res } = await send('GET', path, undefined, opts);
	if (!res.ok) {
		let json = null;
		try { json = await res.json(); } catch { json = null; }
		throw new ApiError(res.status, json, explain(res.status, json));
	}
	return URL.createObjectURL(await res.blob());
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b, o) => api('POST', p, b, o);

// ?a=1&b=2 of the defined values.
export function qs(params) {
	const u = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '')
			u.set(k, v);
	const s = u.toString();
	return s ? `?${s}` : '';
}

// A new Idempotency-Key for one dossier being filled in.
export function newKey() {
	if (crypto.randomUUID)
		return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// Sends 'send()' now and, while the line is down (status 0), again when
// it comes back (the 'online' event, or every 10 s), telling 'waiting'
// each time it has to wait. Resolves with the answer; other errors throw.
// With an Idempotency-Key the resends can never make a second dossier.
export function sendWhenOnline(send, waiting) {
	return new Promise((resolve, reject) => {
		let timer = null;
		const attempt = async () => {
			clearTimeout(timer);
			window.removeEventListener('online', attempt);
			try {
				resolve(await send());
			} catch (e) {
				if (e.status !== 0)
					return reject(e);
				waiting(e);
				window.addEventListener('online', attempt);
				timer = setTimeout(attempt, 10000);
			}
			return undefined;
		};
		attempt();
	});
}
