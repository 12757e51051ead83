// fmt.js — how motcua writes things for Vietnamese readers: dates
// dd/mm/yyyy in the province's time (UTC+7, no daylight saving), money as
// 150.000 đ, and the labels of statuses, channels and timeliness.

const TZ_MS = 7 * 3600 * 1000;

function parts(iso) {
	const t = Date.parse(iso);
	if (Number.isNaN(t))
		return null;
	const d = new Date(t + TZ_MS);	/* read back as UTC: the local fields */
	return {
		y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(),
		hh: d.getUTCHours(), mm: d.getUTCMinutes(),
	};
}

const two = (n) => String(n).padStart(2, '0');

// 2026-03-02T14:05:00+07:00 → 02/03/2026; '' for null.
export function date(iso) {
	const p = iso && parts(iso);
	return p ? `${two(p.d)}/${two(p.m)}/${p.y}` : '';
}

// → 14:05 02/03/2026, the way appointment slips write it.
export function dateTime(iso) {
	const p = iso && parts(iso);
	return p ? `${two(p.hh)}:${two(p.mm)} ${two(p.d)}/${two(p.m)}/${p.y}` : '';
}

// A local day (yyyy-mm-dd) of today, in the province.
export function today() {
	const p = parts(new Date().toISOString());
	return `${p.y}-${two(p.m)}-${two(p.d)}`;
}

// dd/mm/yyyy typed by a person → yyyy-mm-dd, or null.
export function parseDate(text) {
	const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || '');
	if (!m)
		return null;
	const d = +m[1], mo = +m[2], y = +m[3];
	const t = new Date(Date.UTC(y, mo - 1, d));
	if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d)
		return null;
	return `${y}-${two(mo)}-${two(d)}`;
}

// 150000 → "150.000 đ".
export function money(n) {
	const s = String(Math.round(Math.abs(Number(n) || 0)))
		.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
	return `${n < 0 ? '−' : ''}${s} đ`;
}

// 97.12 (the API's rates are percent) → "97,12%"; null → "—".
export function percent(x, digits = 2) {
	if (x === null || x === undefined || Number.isNaN(x))
		return '—';
	return `${Number(x).toFixed(digits).replace('.', ',')}%`;
}

// 12345 → "12.345".
export function count(n) {
	return String(n ?? 0).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

// Case and diacritics folded, đ as d: what search compares.
export function fold(s) {
	return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '')
		.replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

export const STATUS = {
	submitted: 'Chờ tiếp nhận',
	received: 'Đã tiếp nhận',
	processing: 'Đang xử lý',
	awaiting_supplement: 'Chờ bổ sung hồ sơ',
	awaiting_payment: 'Chờ thanh toán',
	result_ready: 'Đã xử lý xong',
	returned: 'Đã trả kết quả',
	refused: 'Từ chối tiếp nhận',
	withdrawn: 'Công dân rút hồ sơ',
	stopped: 'Dừng xử lý',
};

export const CHANNEL = {
	direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính',
	counter: 'Tại bộ phận một cửa',
};

export const TIMELINESS = {
	none: 'Chưa tiếp nhận', early: 'Trước hạn', on_time: 'Đúng hạn',
	late: 'Quá hạn', within_deadline: 'Trong hạn', overdue: 'Quá hạn',
};

export const LEVEL = {
	province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Cấp xã',
};

export const ROLE = {
	admin: 'Quản trị hệ thống', control_officer: 'Kiểm soát TTHC',
	counter_officer: 'Cán bộ tiếp nhận', specialist: 'Chuyên viên',
	leader: 'Lãnh đạo',
};

export const ACTION = {
	accept: 'Tiếp nhận', refuse: 'Từ chối',
	request_supplement: 'Yêu cầu bổ sung',
	submit_supplement: 'Đã nhận bổ sung', assign: 'Giao xử lý',
	forward: 'Chuyển bước tiếp', apologize: 'Xin lỗi, hẹn lại',
	complete: 'Hoàn thành giải quyết', return_result: 'Trả kết quả',
	withdraw: 'Rút hồ sơ', stop: 'Dừng xử lý',
};

export const FORM = {
	original: 'Bản chính', copy: 'Bản sao', certified_copy: 'Bản sao chứng thực',
	electronic: 'Bản điện tử',
};

export const RATING = {
	very_satisfied: 'Rất hài lòng', satisfied: 'Hài lòng',
	not_satisfied: 'Không hài lòng',
};

// A processing time {amount, unit} in words.
export function period(p) {
	if (!p)
		return '';
	const unit = { working_days: 'ngày làm việc', days: 'ngày',
		working_hours: 'giờ làm việc', hours: 'giờ', months: 'tháng' };
	return `${p.amount} ${unit[p.unit] || p.unit}`;
}

// 750 seconds → "12 phút 30 giây"; null → "—".
export function duration(sec) {
	if (sec === null || sec === undefined)
		return '—';
	const h = Math.floor(sec / 3600), m = Math.floor(sec % 3600 / 60), x = sec % 60;
	if (h)
		return `${h} giờ ${m} phút`;
	return m ? `${m} phút${x ? ` ${x} giây` : ''}` : `${x} giây`;
}
