// admin.js — Quản trị: the procedure catalog (a new version drafted from
// the one in force, then published under its decision), the working
// calendar's year, units and accounts, message templates, the outbox and
// the national portal's sync (failures first), and the audit of every
// dossier's event chain.
import { get, post, qs } from '../api.js';
import { h, clear, field, busy, table, showError, announce } from '../dom.js';
import { date, dateTime, count, LEVEL, ROLE, FORM, today } from '../fmt.js';

const TABS = {
	'thu-tuc': ['Thủ tục hành chính', ['admin', 'control_officer'], catalog],
	lich: ['Lịch làm việc', ['admin', 'control_officer'], calendar],
	'don-vi': ['Đơn vị, tài khoản', ['admin'], units],
	'tin-nhan': ['Tin nhắn', ['admin', 'control_officer'], messages],
	'dong-bo': ['Đồng bộ Cổng DVCQG', ['admin', 'control_officer'], sync],
	'kiem-tra': ['Kiểm tra nhật ký', ['admin'], audit],
};

export async function render(view, ctx) {
	const mine = Object.entries(TABS).filter(([, t]) => t[1].includes(ctx.user.role));
	const tab = TABS[ctx.params[0]] && TABS[ctx.params[0]][1].includes(ctx.user.role) ?
		ctx.params[0] : mine[0][0];
	const body = h('div', { id: 'admin-body' });
	clear(view, h('h2', {}, 'Quản trị'),
		h('nav', { class: 'tabs', 'aria-label': 'Mục quản trị' }, h('ul', {}, mine.map(([k, t]) =>
			h('li', {}, h('a', { href: `#/quan-tri/${k}`, 'aria-current': k === tab ? 'page' : null }, t[0]))))),
		body);
	await TABS[tab][2](body, ctx, ctx.params.slice(1));
}

/* A table of editable rows: columns [{key, label, type, options}]. */
function rows(caption, columns, initial, blank) {
	const tbody = h('tbody', {});
	const add = (r) => {
		const tr = h('tr', {}, columns.map((c) => {
			let input;
			const label = `${caption}: ${c.label}`;
			if (c.type === 'select')
				input = h('select', { 'aria-label': label }, Object.entries(c.options).map(([v, t]) =>
					h('option', { value: v, selected: String(r[c.key] ?? '') === v }, t)));
			else if (c.type === 'checkbox')
				input = h('input', { type: 'checkbox', 'aria-label': label, checked: !!r[c.key] });
			else
				input = h('input', { type: c.type || 'text', 'aria-label': label, value: r[c.key] ?? '' });
			input.dataset.key = c.key;
			return h('td', { 'data-label': c.label }, input);
		}), h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => tr.remove() }, 'Xóa')));
		tbody.append(tr);
	};
	(initial || []).forEach(add);
	const box = h('fieldset', {}, h('legend', {}, caption),
		h('div', { class: 'table-wrap' }, h('table', { class: 'rows' },
			h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)), h('th', {}, ''))),
			tbody)),
		h('button', { type: 'button', onclick: () => add(blank) }, `Thêm: ${caption.toLowerCase()}`));
	box.values = () => [...tbody.rows].map((tr) => {
		const o = {};
		for (const el of tr.querySelectorAll('[data-key]')) {
			const c = columns.find((x) => x.key === el.dataset.key);
			if (el.type === 'checkbox')
				o[c.key] = el.checked;
			else if (c.type === 'number')
				o[c.key] = el.value === '' ? undefined : Number(el.value);
			else if (el.value !== '')
				o[c.key] = el.value;
		}
		return o;
	});
	return box;
}

/* Thủ tục: search, then a new version from the one in force. */
async function catalog(body, ctx, params) {
	if (params[0])
		return editor(body, params[0] === 'moi' ? null : params[0]);
	const q = h('input', { type: 'search', name: 'q' });
	const out = h('div', {});
	const run = async () => {
		const r = await get(`/api/v1/procedures${qs({ q: q.value.trim(), limit: 100 })}`);
		clear(out, table(null, [
			{ label: 'Mã', value: (p) => h('a', { href: `#/quan-tri/thu-tuc/${encodeURIComponent(p.code)}` }, p.code) },
			{ label: 'Tên thủ tục', value: (p) => p.name },
			{ label: 'Lĩnh vực', value: (p) => p.field },
			{ label: 'Cấp', value: (p) => LEVEL[p.level] },
			{ label: 'Phiên bản', value: (p) => `${p.version}, từ ${date(p.valid_from)}` },
		], r.items, { empty: 'Không có thủ tục nào khớp.' }));
	};
	const form = h('form', { class: 'card', role: 'search' }, field('Tìm thủ tục', q),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Tìm'),
			h('a', { class: 'button', href: '#/quan-tri/thu-tuc/moi' }, 'Thêm thủ tục mới')));
	form.addEventListener('submit', (ev) => { ev.preventDefault(); busy(form.querySelector('button'), out, run); });
	clear(body, form, out);
	await busy(form.querySelector('button'), out, run);
	return undefined;
}

async function editor(body, code) {
	let p = null;
	if (code) {
		try {
			p = await get(`/api/v1/procedures/${encodeURIComponent(code)}`);
		} catch (e) {
			clear(body);
			showError(body, e);
			return;
		}
	}
	p = p || { code: '', name: '', field: '', level: 'province', unit_code: '', processing_time: { amount: 5, unit: 'working_days' },
		online_level: 'none', online_reduction_percent: 0, on_the_spot: false, pay_before_processing: false,
		result: { document_type: '', paper: true, electronic: false }, fees: [], components: [],
		steps: [{ name: 'Tiếp nhận hồ sơ', role: 'counter_officer', share_percent: 10 },
			{ name: 'Thẩm định, xử lý', role: 'specialist', share_percent: 60 },
			{ name: 'Phê duyệt', role: 'leader', share_percent: 30 }] };
	const f = {
		code: h('input', { name: 'code', value: p.code, readonly: !!code, required: true }),
		name: h('textarea', { name: 'name', required: true }, p.name),
		field: h('input', { name: 'field', value: p.field, required: true }),
		level: h('select', { name: 'level' }, Object.entries(LEVEL).map(([k, v]) => h('option', { value: k, selected: p.level === k }, v))),
		unit: h('input', { name: 'unit_code', value: p.unit_code, required: true }),
		amount: h('input', { name: 'amount', type: 'number', min: 0, value: p.processing_time.amount }),
		unit_t: h('select', { name: 'time_unit' }, Object.entries({ working_days: 'ngày làm việc', working_hours: 'giờ làm việc', days: 'ngày', months: 'tháng' })
			.map(([k, v]) => h('option', { value: k, selected: p.processing_time.unit === k }, v))),
		online: h('select', { name: 'online_level' }, Object.entries({ none: 'Không', partial: 'Một phần', full: 'Toàn trình' })
			.map(([k, v]) => h('option', { value: k, selected: p.online_level === k }, v))),
		reduction: h('input', { name: 'online_reduction_percent', type: 'number', min: 0, max: 99, value: p.online_reduction_percent || 0 }),
		spot: h('input', { type: 'checkbox', name: 'on_the_spot', checked: p.on_the_spot }),
		payFirst: h('input', { type: 'checkbox', name: 'pay_before_processing', checked: p.pay_before_processing }),
		docType: h('input', { name: 'document_type', value: p.result.document_type, required: true }),
		paper: h('input', { type: 'checkbox', name: 'paper', checked: p.result.paper }),
		electronic: h('input', { type: 'checkbox', name: 'electronic', checked: p.result.electronic }),
	};
	const fees = rows('Phí, lệ phí', [
		{ key: 'name', label: 'Tên khoản' },
		{ key: 'kind', label: 'Loại', type: 'select', options: { fee: 'Phí', charge: 'Lệ phí' } },
		{ key: 'amount', label: 'Số tiền (đồng)', type: 'number' },
		{ key: 'per', label: 'Tính theo', type: 'select', options: { dossier: 'Hồ sơ', copy: 'Bản', page: 'Trang' } },
		{ key: 'online_discount_percent', label: 'Giảm khi nộp trực tuyến (%)', type: 'number' },
	], p.fees, { kind: 'fee', per: 'dossier', amount: 0, online_discount_percent: 0 });
	const comps = rows('Thành phần hồ sơ', [
		{ key: 'code', label: 'Mã' }, { key: 'name', label: 'Tên giấy tờ' },
		{ key: 'form', label: 'Loại bản', type: 'select', options: FORM },
		{ key: 'quantity', label: 'Số bản', type: 'number' },
		{ key: 'required', label: 'Bắt buộc', type: 'checkbox' },
		{ key: 'document_type', label: 'Loại giấy tờ (kho dữ liệu)' },
	], p.components, { form: 'original', quantity: 1, required: true });
	const steps = rows('Quy trình nội bộ', [
		{ key: 'name', label: 'Bước' },
		{ key: 'role', label: 'Vai trò', type: 'select', options: { counter_officer: ROLE.counter_officer, specialist: ROLE.specialist, leader: ROLE.leader } },
		{ key: 'share_percent', label: 'Tỷ lệ thời gian (%)', type: 'number' },
		{ key: 'unit_code', label: 'Đơn vị (nếu khác)' },
	], p.steps, { role: 'specialist', share_percent: 0 });
	const save = h('button', { type: 'submit', class: 'primary' }, 'Lưu bản nháp');
	const form = h('form', { class: 'card', 'aria-labelledby': 'ed-h', novalidate: true },
		h('h3', { id: 'ed-h' }, code ? `Phiên bản mới của thủ tục ${code} (đang áp dụng: phiên bản ${p.version})` : 'Thủ tục mới'),
		h('div', { class: 'grid two' }, field('Mã thủ tục', f.code, 'Dạng 1.001234'), field('Lĩnh vực', f.field)),
		field('Tên thủ tục', f.name),
		h('div', { class: 'grid three' }, field('Cấp thực hiện', f.level), field('Đơn vị thực hiện (mã)', f.unit),
			field('Dịch vụ công trực tuyến', f.online)),
		h('div', { class: 'grid three' }, field('Thời hạn giải quyết', f.amount), field('Đơn vị thời hạn', f.unit_t),
			field('Rút ngắn khi nộp trực tuyến (%)', f.reduction)),
		h('label', { class: 'check' }, f.spot, h('span', {}, 'Giải quyết ngay tại quầy')),
		h('label', { class: 'check' }, f.payFirst, h('span', {}, 'Nộp phí trước khi tiếp nhận')),
		h('div', { class: 'grid three' }, field('Kết quả giải quyết', f.docType),
			h('label', { class: 'check' }, f.paper, h('span', {}, 'Bản giấy')),
			h('label', { class: 'check' }, f.electronic, h('span', {}, 'Bản điện tử'))),
		fees, comps, steps, h('div', { class: 'actions' }, save));
	const publish = h('div', { id: 'publish' });
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const input = {
			code: f.code.value.trim(), name: f.name.value.trim(), field: f.field.value.trim(), level: f.level.value,
			unit_code: f.unit.value.trim(), processing_time: { amount: Number(f.amount.value), unit: f.unit_t.value },
			online_level: f.online.value, online_reduction_percent: Number(f.reduction.value || 0),
			on_the_spot: f.spot.checked, pay_before_processing: f.payFirst.checked,
			result: { document_type: f.docType.value.trim(), paper: f.paper.checked, electronic: f.electronic.checked },
			fees: fees.values(), components: comps.values(), steps: steps.values(),
		};
		const r = await busy(save, form, () => post('/api/v1/procedures', input));
		if (r)
			publishForm(publish, r);
	});
	clear(body, h('p', {}, h('a', { href: '#/quan-tri/thu-tuc' }, '← Danh mục thủ tục')), form, publish);
}

function publishForm(where, draft) {
	const from = h('input', { type: 'date', name: 'valid_from', required: true, value: today() });
	const number = h('input', { name: 'decision_number', required: true });
	const day = h('input', { type: 'date', name: 'decision_date', required: true, value: today() });
	const go = h('button', { type: 'submit', class: 'primary' }, 'Công bố');
	const form = h('form', { class: 'card success', 'aria-labelledby': 'pub-h' },
		h('h3', { id: 'pub-h', tabindex: '-1' }, `Đã lưu bản nháp phiên bản ${draft.version} của thủ tục ${draft.code}`),
		h('p', {}, 'Bản nháp chưa áp dụng cho hồ sơ nào. Công bố theo quyết định công bố thủ tục:'),
		h('div', { class: 'grid three' }, field('Áp dụng từ ngày', from), field('Số quyết định', number), field('Ngày quyết định', day)),
		h('div', { class: 'actions' }, go));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const r = await busy(go, form, () => post(`/api/v1/procedures/${encodeURIComponent(draft.code)}/publish`,
			{ valid_from: from.value, decision_number: number.value.trim(), decision_date: day.value }));
		if (r) {
			clear(where, h('p', { class: 'success', role: 'status' },
				`Đã công bố phiên bản ${r.version} của thủ tục ${r.code}, áp dụng từ ${date(r.valid_from)}.`));
			announce('Đã công bố.');
		}
	});
	clear(where, form);
	form.querySelector('h3').focus();
}

/* Lịch: the year's days off and working days, month by month. */
async function calendar(body, ctx, params) {
	const year = Number(params[0]) || Number(today().slice(0, 4));
	let r;
	try {
		r = await get(`/api/v1/calendar/holidays${qs({ year })}`);
	} catch (e) {
		clear(body);
		showError(body, e);
		return;
	}
	const special = {};
	for (const d of r.items || r.days || [])
		special[d.date] = d;
	const months = [];
	for (let m = 0; m < 12; m++) {
		const first = new Date(Date.UTC(year, m, 1));
		const days = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
		const lead = (first.getUTCDay() + 6) % 7;	/* Monday first */
		const cells = [];
		for (let i = 0; i < lead; i++)
			cells.push(h('td', {}));
		for (let d = 1; d <= days; d++) {
			const iso = `${year}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
			const dow = new Date(Date.UTC(year, m, d)).getUTCDay();
			const s = special[iso];
			const off = s ? s.off : dow === 0 || dow === 6;
			cells.push(h('td', { class: `${off ? 'off' : ''}${s ? ' special' : ''}`, title: s ? s.reason || s.name || '' : '' },
				String(d), s ? h('span', { class: 'sr-only' }, ` — ${s.reason || s.name || ''}`) : null));
		}
		const weeks = [];
		for (let i = 0; i < cells.length; i += 7)
			weeks.push(h('tr', {}, cells.slice(i, i + 7)));
		months.push(h('table', { class: 'month' }, h('caption', {}, `Tháng ${m + 1}`),
			h('thead', {}, h('tr', {}, ['T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'].map((x) => h('th', { scope: 'col' }, x)))),
			h('tbody', {}, weeks)));
	}
	clear(body, h('div', { class: 'actions' },
		h('a', { class: 'button', href: `#/quan-tri/lich/${year - 1}` }, `← ${year - 1}`),
		h('strong', {}, `Năm ${year}`),
		h('a', { class: 'button', href: `#/quan-tri/lich/${year + 1}` }, `${year + 1} →`)),
	h('p', { class: 'muted' }, 'Ô tô màu là ngày nghỉ (cuối tuần, lễ, Tết, nghỉ bù); ngày làm bù ghi rõ. ' +
		'Ngày nghỉ, làm bù theo thông báo hằng năm được khai trong tệp lịch (calendar_file), xem tài liệu lịch làm việc.'),
	h('div', { class: 'year' }, months),
	h('h3', {}, 'Ngày nghỉ lễ, nghỉ bù, làm bù trong năm'),
	table(null, [
		{ label: 'Ngày', value: (d) => date(`${d.date}T12:00:00+07:00`) },
		{ label: 'Nội dung', value: (d) => d.reason || d.name || '' },
		{ label: 'Loại', value: (d) => ({ holiday: 'Nghỉ lễ, Tết', compensatory: 'Nghỉ bù', day_off: 'Nghỉ theo thông báo', working_day: 'Làm bù' })[d.kind] || d.kind || '' },
		{ label: 'Căn cứ', value: (d) => d.source ? d.source.replace(/\s*\(https?:[^)]*\)$/, '') : '' },
	], r.items || r.days || []));
}

/* Đơn vị, tài khoản. */
async function units(body, ctx) {
	const list = h('div', {});
	const users = h('div', {});
	const ucode = h('input', { name: 'code', required: true });
	const uname = h('input', { name: 'name', required: true });
	const level = h('select', { name: 'level' }, Object.entries({ province: 'Tỉnh', department: 'Sở, ngành', branch: 'Chi nhánh', center: 'Trung tâm PVHCC', commune: 'Xã, phường' })
		.map(([k, v]) => h('option', { value: k }, v)));
	const parent = h('input', { name: 'parent_code', required: true, value: ctx.user.unit_code });
	const from = h('input', { type: 'date', name: 'valid_from', value: today() });
	const addUnit = h('button', { type: 'submit', class: 'primary' }, 'Thêm đơn vị');
	const uform = h('form', { class: 'card', 'aria-labelledby': 'unit-h' }, h('h3', { id: 'unit-h' }, 'Thêm đơn vị'),
		h('div', { class: 'grid two' }, field('Mã đơn vị', ucode), field('Tên đơn vị', uname)),
		h('div', { class: 'grid three' }, field('Loại', level), field('Đơn vị cấp trên (mã)', parent), field('Có hiệu lực từ', from)),
		h('div', { class: 'actions' }, addUnit));
	uform.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const r = await busy(addUnit, uform, () => post('/api/v1/units', { code: ucode.value.trim(), name: uname.value.trim(),
			level: level.value, parent_code: parent.value.trim(), valid_from: from.value }));
		if (r) {
			announce(`Đã thêm đơn vị ${r.code}.`);
			uform.reset();
			loadUnits();
		}
	});
	const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
	const fullName = h('input', { name: 'full_name', required: true });
	const role = h('select', { name: 'role' }, Object.entries(ROLE).map(([k, v]) => h('option', { value: k }, v)));
	const unit = h('input', { name: 'unit_code', required: true });
	const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'new-password' });
	const addUser = h('button', { type: 'submit', class: 'primary' }, 'Tạo tài khoản');
	const aform = h('form', { class: 'card', 'aria-labelledby': 'user-h' }, h('h3', { id: 'user-h' }, 'Tạo tài khoản cán bộ'),
		h('div', { class: 'grid two' }, field('Tên đăng nhập', username), field('Họ và tên', fullName)),
		h('div', { class: 'grid three' }, field('Vai trò', role), field('Đơn vị (mã)', unit), field('Mật khẩu ban đầu', password, 'Ít nhất 12 ký tự.')),
		h('div', { class: 'actions' }, addUser));
	aform.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const r = await busy(addUser, aform, () => post('/api/v1/users', { username: username.value.trim(), full_name: fullName.value.trim(),
			role: role.value, unit_code: unit.value.trim(), password: password.value }));
		password.value = '';
		if (r) {
			announce(`Đã tạo tài khoản ${r.username}.`);
			aform.reset();
			loadUsers();
		}
	});
	const loadUnits = async () => {
		try {
			const r = await get('/api/v1/units?limit=500');
			clear(list, table('Đơn vị', [
				{ label: 'Mã', value: (u) => u.code }, { label: 'Tên', value: (u) => u.name },
				{ label: 'Loại', value: (u) => u.level }, { label: 'Cấp trên', value: (u) => u.parent_code || '' },
				{ label: 'Hiệu lực', value: (u) => `${date(`${u.valid_from}T12:00:00+07:00`)}${u.valid_to ? ` – ${date(`${u.valid_to}T12:00:00+07:00`)}` : ''}` },
			], r.items));
		} catch (e) {
			showError(list, e);
		}
	};
	const loadUsers = async () => {
		try {
			const r = await get('/api/v1/users?limit=500');
			clear(users, table('Tài khoản', [
				{ label: 'Tên đăng nhập', value: (u) => u.username }, { label: 'Họ và tên', value: (u) => u.full_name },
				{ label: 'Vai trò', value: (u) => ROLE[u.role] || u.role }, { label: 'Đơn vị', value: (u) => u.unit_code },
			], r.items));
		} catch (e) {
			showError(users, e);
		}
	};
	clear(body, aform, users, uform, list);
	loadUsers();
	loadUnits();
}

/* Tin nhắn: templates, and (administrators) the outbox, failures first. */
async function messages(body, ctx) {
	const tpl = h('div', {});
	const box = h('div', {});
	clear(body, tpl, box);
	try {
		const t = await get('/api/v1/message-templates');
		const event = h('input', { name: 'event', required: true });
		const channel = h('select', { name: 'channel' }, h('option', { value: 'sms' }, 'SMS'), h('option', { value: 'email' }, 'Thư điện tử'));
		const subject = h('input', { name: 'subject' });
		const text = h('textarea', { name: 'body', required: true });
		const save = h('button', { type: 'submit', class: 'primary' }, 'Lưu phiên bản mới');
		const form = h('form', { class: 'card', 'aria-labelledby': 'tpl-h' }, h('h3', { id: 'tpl-h' }, 'Phiên bản mới của mẫu tin nhắn'),
			h('div', { class: 'grid two' }, field('Sự kiện', event, 'Ví dụ: received, result_ready'), field('Kênh', channel)),
			field('Tiêu đề (thư điện tử)', subject), field('Nội dung', text, 'Dùng {code}, {procedure}, {due} … như mẫu đang dùng.'),
			h('div', { class: 'actions' }, save));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const b = { event: event.value.trim(), channel: channel.value, body: text.value };
			if (subject.value.trim())
				b.subject = subject.value.trim();
			const r = await busy(save, form, () => post('/api/v1/message-templates', b));
			if (r) {
				announce(`Đã lưu phiên bản ${r.version} của mẫu ${r.event}.`);
				messages(body, ctx);
			}
		});
		clear(tpl, h('h3', {}, 'Mẫu tin nhắn đang dùng'), table(null, [
			{ label: 'Sự kiện', value: (x) => x.event }, { label: 'Kênh', value: (x) => x.channel },
			{ label: 'Phiên bản', value: (x) => `${x.version}${x.active ? '' : ' (không dùng)'}` },
			{ label: 'Nội dung', value: (x) => x.body },
		], t.items), form);
		for (const el of tpl.querySelectorAll('tbody tr'))
			el.addEventListener('click', () => {
				const x = t.items[el.sectionRowIndex];
				event.value = x.event;
				channel.value = x.channel;
				text.value = x.body;
				subject.value = x.subject || '';
			});
	} catch (e) {
		showError(tpl, e);
	}
	if (ctx.user.role !== 'admin')
		return;
	try {
		const m = await get('/api/v1/messages?limit=100');
		clear(box, h('h3', {}, 'Hộp thư đi (lỗi trước)'), table(null, [
			{ label: 'Tạo lúc', value: (x) => dateTime(x.created_at) },
			{ label: 'Hồ sơ', value: (x) => x.dossier_code ? h('a', { href: `#/ho-so/${encodeURIComponent(x.dossier_code)}` }, x.dossier_code) : '' },
			{ label: 'Kênh', value: (x) => x.channel },
			{ label: 'Tình trạng', value: (x) => ({ created: 'Chờ gửi', sending: 'Đang gửi', sent: 'Đã gửi', delivered: 'Đã nhận', temporary_failure: 'Lỗi tạm thời', permanent_failure: 'Lỗi', technical_failure: 'Lỗi kỹ thuật' })[x.status] || x.status },
			{ label: 'Lần gửi', value: (x) => String(x.attempts) },
			{ label: 'Lỗi', value: (x) => x.last_error || '' },
		], m.items, { empty: 'Chưa có tin nhắn nào.', rowClass: (x) => /failure/.test(x.status) ? 'overdue' : null }));
	} catch (e) {
		showError(box, e);
	}
}

/* Đồng bộ: the national portal's sync, what failed first. */
async function sync(body) {
	let s;
	try {
		s = await get('/api/v1/portal/sync');
	} catch (e) {
		clear(body);
		showError(body, e);
		return;
	}
	const retry = (code) => h('button', { type: 'button', onclick: (ev) => busy(ev.target, body, async () => {
		const r = await post('/api/v1/portal/retry', { code });
		announce(`Đã gửi lại ${r.events ?? 0} sự kiện của ${code}.`);
		sync(body);
	}) }, 'Gửi lại');
	clear(body,
		!s.configured ? h('p', { class: 'notice' }, 'Chưa kết nối Cổng Dịch vụ công quốc gia (portal_url).') : null,
		s.paused.now ? h('p', { class: 'error', role: 'alert' }, `Cổng không trả lời: tạm dừng gửi đến ${dateTime(s.paused.until)}. Hệ thống tự gửi lại, không mất sự kiện nào.`) : null,
		h('section', { class: 'card' }, h('h3', {}, 'Lỗi theo nguyên nhân'),
			table(null, [
				{ label: 'Nguyên nhân', value: (f) => ({ unavailable: 'Cổng không phục vụ', transport: 'Không kết nối được', rate_limited: 'Bị giới hạn tần suất', auth: 'Sai thông tin xác thực', rejected: 'Cổng từ chối dữ liệu', conflict: 'Dữ liệu mâu thuẫn' })[f.cause] || f.cause },
				{ label: 'Số sự kiện', value: (f) => count(f.count) },
			], s.failures, { empty: 'Không có lỗi.' })),
		h('section', { class: 'card' }, h('h3', {}, 'Tình hình'),
			h('dl', { class: 'facts' },
				h('dt', {}, 'Đang chờ gửi'), h('dd', {}, count(s.events.pending)),
				h('dt', {}, 'Bị từ chối'), h('dd', {}, count(s.events.rejected)),
				h('dt', {}, 'Đã đồng bộ'), h('dd', {}, count(s.events.synced)),
				h('dt', {}, 'Chậm nhất'), h('dd', {}, s.oldest_pending_at ? `từ ${dateTime(s.oldest_pending_at)}` : 'Không có'),
				h('dt', {}, 'Hồ sơ chưa từng đồng bộ'), h('dd', {}, count(s.never_synced)),
				h('dt', {}, 'Đối soát gần nhất'), h('dd', {}, s.reconciliation.last_at ? `${dateTime(s.reconciliation.last_at)}, lệch ${count(s.reconciliation.drifted)}` : 'Chưa'))),
		h('section', { class: 'card' }, h('h3', {}, 'Hồ sơ từ Cổng chưa nhận được'),
			table(null, [
				{ label: 'Mã hồ sơ trên Cổng', value: (n) => n.MaHoSo },
				{ label: 'Lý do', value: (n) => n.error },
				{ label: 'Lúc', value: (n) => dateTime(n.at) },
				{ label: '', value: (n) => retry(n.MaHoSo) },
			], s.inbound.not_taken, { empty: 'Không có.' })));
}

/* Kiểm tra nhật ký: every dossier's event chain. */
async function audit(body) {
	const go = h('button', { type: 'button', class: 'primary' }, 'Kiểm tra toàn bộ nhật ký hồ sơ');
	const out = h('div', { 'aria-live': 'polite' });
	go.addEventListener('click', () => busy(go, out, async () => {
		clear(out, h('p', {}, h('progress', { 'aria-label': 'Đang kiểm tra' }), ' Đang kiểm tra từng chuỗi sự kiện…'));
		const r = await get('/api/v1/audit');
		clear(out, r.intact ?
			h('p', { class: 'success', id: 'audit-result' }, `Toàn vẹn: đã kiểm tra ${count(r.events)} sự kiện, không chuỗi nào bị sửa.`) :
			[h('p', { class: 'error', role: 'alert', id: 'audit-result' }, `${count(r.broken)} chuỗi sự kiện bị sửa hoặc thiếu (đã kiểm tra ${count(r.events)} sự kiện).`),
				table(null, [
					{ label: 'Hồ sơ', value: (c) => c.code },
					{ label: 'Sự kiện', value: (c) => String(c.seq) },
					{ label: 'Lỗi', value: (c) => c.why },
				], r.chains)]);
	}));
	clear(body, h('section', { class: 'card' }, h('p', {}, 'Mỗi thay đổi của hồ sơ được ghi thành một sự kiện nối chuỗi bằng mã băm. ' +
		'Kiểm tra tính lại toàn bộ chuỗi và chỉ ra chỗ bị sửa, xóa.'), h('div', { class: 'actions' }, go), out));
}

