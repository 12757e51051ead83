// leaders.js — Điều hành: the figures of the province's half-year report
// live, for a unit, level, field and period — on-time rate, online share
// by level, digitization and reuse, payments, satisfaction, feedback —
// the 766 index with the records behind every number one click away, the
// charts, and the overdue dossiers by the unit holding them.
import { get, qs, blobUrl } from '../api.js';
import { h, clear, field, busy, table, showError } from '../dom.js';
import { dateTime, money, percent, count, duration, LEVEL, STATUS, today } from '../fmt.js';
import { openPdf } from './counter.js';

const PERIODS = { month: 'Tháng', quarter: 'Quý', half: '6 tháng', year: 'Năm', range: 'Từ ngày … đến ngày' };

export async function render(view, ctx) {
	const y = Number(today().slice(0, 4));
	const m = Number(today().slice(5, 7));
	const f = {
		period: h('select', { name: 'period' }, Object.entries(PERIODS).map(([k, v]) =>
			h('option', { value: k, selected: k === 'quarter' }, v))),
		year: h('input', { name: 'year', type: 'number', min: 2015, max: 2100, value: y }),
		index: h('input', { name: 'index', type: 'number', min: 1, max: 12, value: Math.ceil(m / 3) }),
		from: h('input', { name: 'from', type: 'date' }),
		to: h('input', { name: 'to', type: 'date' }),
		unit: h('input', { name: 'unit_code', value: ctx.user.unit_code }),
		level: h('select', { name: 'level' }, h('option', { value: '' }, 'Mọi cấp'),
			Object.entries(LEVEL).map(([k, v]) => h('option', { value: k }, v))),
		fieldName: h('input', { name: 'field' }),
		cutoff: h('select', { name: 'cutoff' }, h('option', { value: '0' }, 'Theo lịch (ngày 1 đến cuối kỳ)'),
			h('option', { value: '' }, 'Kỳ báo cáo (ngày 15 kỳ trước đến 14)')),
	};
	const go = h('button', { type: 'submit', class: 'primary' }, 'Xem số liệu');
	const rangeOnly = h('div', { class: 'grid two' }, field('Từ ngày', f.from), field('Đến ngày', f.to));
	const periodOnly = h('div', { class: 'grid three' }, field('Năm', f.year),
		field('Kỳ thứ (tháng 1–12, quý 1–4, 6 tháng 1–2)', f.index), field('Cách tính kỳ', f.cutoff));
	const form = h('form', { class: 'card', 'aria-label': 'Bộ lọc số liệu' },
		h('div', { class: 'grid three' }, field('Kỳ', f.period),
			field('Đơn vị (mã)', f.unit, 'Mặc định: đơn vị của bạn và các đơn vị trực thuộc.'),
			field('Cấp thực hiện', f.level)),
		field('Lĩnh vực (để trống: mọi lĩnh vực)', f.fieldName), periodOnly, rangeOnly,
		h('div', { class: 'actions' }, go));
	const out = h('div', { id: 'figures', 'aria-live': 'polite' });
	const sync = () => {
		const range = f.period.value === 'range';
		rangeOnly.hidden = !range;
		periodOnly.hidden = range;
	};
	f.period.addEventListener('change', sync);
	sync();
	const params = () => {
		const p = { unit_code: f.unit.value.trim(), level: f.level.value, field: f.fieldName.value.trim() };
		if (f.period.value === 'range')
			return { ...p, from: f.from.value, to: f.to.value };
		return { ...p, period: f.period.value, year: f.year.value, index: f.period.value === 'year' ? '' : f.index.value,
			cutoff: f.cutoff.value };
	};
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		busy(go, out, () => figures(out, params(), ctx.user));
	});
	clear(view, h('h2', {}, 'Điều hành'), form, out);
	busy(go, out, () => figures(out, params(), ctx.user));
}

// Every figure of the screen, from three requests sent together.
async function figures(out, p, user) {
	const q = qs(p);
	clear(out, h('p', { class: 'muted' }, 'Đang tính số liệu…'));
	const [s, ix, late] = await Promise.all([
		get(`/api/v1/reports/summary${q}`),
		get(`/api/v1/reports/index766${q}`),
		/* The listing's unit_code is that unit alone: the user's own
		 * scope already takes in the units below. */
		get(`/api/v1/dossiers${qs({ timeliness: 'overdue', limit: 200,
			unit_code: p.unit_code === user.unit_code ? '' : p.unit_code })}`),
	]);
	const d = s.dossiers;
	const card = (title, big, ...lines) => h('section', { class: 'card figure' },
		h('h3', {}, title), h('p', { class: 'big' }, big), lines.map((l) => h('p', { class: 'muted' }, l)));
	const fb = s.feedback;
	const pay = s.payments;
	clear(out,
		h('p', {}, `${s.unit.name} (${s.unit.code}), từ ${s.from.split('-').reverse().join('/')} đến ${s.to.split('-').reverse().join('/')}.`),
		h('div', { class: 'grid three', id: 'cards' },
			card('Hồ sơ tiếp nhận', count(d.received), `Trực tuyến: ${count(d.online)} (${percent(d.online_rate)})`),
			card('Giải quyết đúng hạn', percent(d.on_time_rate), `${count(d.on_time)} / ${count(d.resolved)} hồ sơ đã giải quyết`),
			card('Số hóa hồ sơ', percent(d.digitized_rate), `${count(d.digitized)} hồ sơ số hóa đủ thành phần`),
			card('Tái sử dụng dữ liệu', percent(s.service.reuse_rate), `${count(s.service.reused)} giấy tờ dùng lại; ${count(s.service.asked_again)} lần yêu cầu nộp lại`),
			card('Thanh toán trực tuyến', count(pay.platform_count + pay.transfer_count),
				`Số tiền: ${money(pay.platform_amount + pay.transfer_amount)}`, `Tại quầy: ${count(pay.counter_count)} (${money(pay.counter_amount)})`),
			card('Mức độ hài lòng', percent(s.ratings.satisfaction_rate), `${count(s.ratings.satisfied)} / ${count(s.ratings.total)} lượt đánh giá hài lòng`),
			card('Phản ánh, kiến nghị', count(fb.total), `Cổng: ${count(fb.portal)}, thư: ${count(fb.letter)}, đường dây nóng: ${count(fb.hotline)}, tại quầy: ${count(fb.counter)}, trang web: ${count(fb.web)}`),
			card('Tin nhắn SMS đã gửi', count(s.messages.sms_sent)),
			card('Chỉ số 766', `${String(ix.total.score ?? '—').replace('.', ',')} điểm`, `${String(ix.total.points).replace('.', ',')} / ${String(ix.total.max).replace('.', ',')} điểm được tính`)),
		h('section', { class: 'card' }, h('h3', {}, 'Theo cấp thực hiện'),
			table(null, [
				{ label: 'Cấp', value: (r) => r[0] },
				{ label: 'Tiếp nhận', value: (r) => count(r[1].received) },
				{ label: 'Trực tuyến', value: (r) => percent(r[1].online_rate) },
				{ label: 'Đúng hạn', value: (r) => percent(r[1].on_time_rate) },
				{ label: 'Số hóa', value: (r) => percent(r[1].digitized_rate) },
			], [...Object.entries(s.levels).map(([k, v]) => [LEVEL[k], v]), ['Trung tâm PVHCC', s.centre]])),
		charts(p),
		index766(ix, p),
		overdue(late.items),
		floor(s.from, s.to, user),
		exports(p));
}

// The charts are SVG the API draws; shown as images with a text twin.
function charts(p) {
	const names = { online_by_level: 'Tỷ lệ hồ sơ trực tuyến theo cấp',
		on_time_by_level: 'Tỷ lệ giải quyết đúng hạn theo cấp', index766: 'Điểm Chỉ số 766 theo nhóm' };
	const box = h('section', { class: 'card' }, h('h3', {}, 'Biểu đồ'));
	const grid = h('div', { class: 'grid three' });
	box.append(grid);
	for (const [n, title] of Object.entries(names)) {
		const img = h('img', { alt: `${title} (số liệu ở các bảng trên trang)`, class: 'chart', width: 360 });
		grid.append(h('figure', {}, img, h('figcaption', {}, title)));
		blobUrl(`/api/v1/reports/charts/${n}${qs(p)}`).then((u) => { img.src = u; })
			.catch((e) => showError(box, e));
	}
	return box;
}

function index766(ix, p) {
	const box = h('section', { class: 'card', id: 'index766' }, h('h3', {}, ix.index));
	const records = h('div', { id: 'records', 'aria-live': 'polite' });
	/* The name starts with the number shown (WCAG 2.5.3). */
	const drill = (i, part) => h('button', { type: 'button', class: 'link',
		'aria-label': `${count(i[part])}: ${part === 'numerator' ? 'tử số' : 'mẫu số'} của chỉ số ${i.id}, xem hồ sơ`,
		onclick: (ev) => busy(ev.target, records, async () => {
			const r = await get(`/api/v1/reports/index766/records${qs({ ...p, indicator: i.id, part, limit: 100 })}`);
			clear(records, h('h4', { tabindex: '-1' }, `Chỉ số ${i.id} — ${i.name}: ${part === 'numerator' ? 'tử số' : 'mẫu số'} (${count(r.total)})`),
				r.kind === 'dossier' ? table(null, [
					{ label: 'Mã hồ sơ', value: (x) => h('a', { href: `#/ho-so/${encodeURIComponent(x.code)}` }, x.code) },
					{ label: 'Thủ tục', value: (x) => x.procedure_code },
					{ label: 'Trạng thái', value: (x) => STATUS[x.status] || x.status },
					{ label: 'Tiếp nhận', value: (x) => dateTime(x.received_at) },
					{ label: 'Hoàn thành', value: (x) => dateTime(x.finished_at) },
				], r.items, { empty: 'Không có hồ sơ nào.' }) :
					h('ul', {}, r.items.map((x) => h('li', {}, Object.values(x).filter((v) => v !== null).join(' — ')))),
				r.next_cursor ? h('p', { class: 'muted' }, 'Chỉ hiện 100 bản ghi đầu.') : null);
			records.querySelector('h4').focus();
		}) }, count(i[part]));
	box.append(table(null, [
		{ label: 'Chỉ số', value: (i) => `${i.id}. ${i.name}` },
		{ label: 'Tử số', value: (i) => i.available ? drill(i, 'numerator') : '—' },
		{ label: 'Mẫu số', value: (i) => i.available ? drill(i, 'denominator') : '—' },
		{ label: 'Tỷ lệ', value: (i) => i.available ? percent(i.rate) : (i.note || 'Chưa tính được') },
		{ label: 'Điểm', value: (i) => i.points === null ? '—' : `${String(i.points).replace('.', ',')} / ${String(i.weight).replace('.', ',')}` },
	], ix.indicators), records);
	return box;
}

// Overdue dossiers grouped by the unit holding them now.
function overdue(items) {
	const by = {};
	for (const d of items)
		(by[d.current_unit_code] ||= []).push(d);
	const box = h('section', { class: 'card', id: 'overdue' }, h('h3', {}, `Hồ sơ quá hạn (${count(items.length)})`));
	if (!items.length) {
		box.append(h('p', { class: 'empty' }, 'Không có hồ sơ quá hạn.'));
		return box;
	}
	for (const [unit, list] of Object.entries(by).sort((a, b) => b[1].length - a[1].length))
		box.append(h('details', {}, h('summary', {}, `${unit}: ${list.length} hồ sơ`),
			table(null, [
				{ label: 'Mã hồ sơ', value: (d) => h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, d.code) },
				{ label: 'Thủ tục', value: (d) => d.procedure_name },
				{ label: 'Hẹn trả', value: (d) => dateTime(d.due_at) },
				{ label: 'Người xử lý', value: (d) => d.assignee || 'Chưa giao' },
			], list)));
	return box;
}

function exports(p) {
	const dl = (label, path, name) => h('button', { type: 'button', onclick: (ev) =>
		busy(ev.target, ev.target.parentNode, () => openPdf(path, name)) }, label);
	return h('section', { class: 'card' }, h('h3', {}, 'Tải báo cáo'),
		h('div', { class: 'actions' },
			dl('Báo cáo (PDF)', `/api/v1/reports/summary${qs({ ...p, format: 'pdf' })}`, 'bao-cao.pdf'),
			dl('Số liệu (XLSX)', `/api/v1/reports/summary${qs({ ...p, format: 'xlsx' })}`, 'so-lieu.xlsx'),
			dl('Biểu 06 (XLSX)', `/api/v1/reports/bieu06${qs({ ...p, level: '', field: '', format: 'xlsx' })}`, 'bieu-06.xlsx')));
}

// The centres' floors: waiting, serving, ratings by counter and group.
function floor(from, to, user) {
	const box = h('section', { class: 'card', id: 'floor', 'aria-labelledby': 'floor-h' },
		h('h3', { id: 'floor-h' }, 'Bộ phận một cửa: lấy số, chờ, phục vụ'));
	const which = h('select', { name: 'centre' });
	const out = h('div', { 'aria-live': 'polite' });
	const cols = (first) => [
		{ label: first, value: (f) => f.name || f.key },
		{ label: 'Lấy số', value: (f) => count(f.issued) },
		{ label: 'Đã phục vụ', value: (f) => count(f.served) },
		{ label: 'Không đến', value: (f) => count(f.missed) },
		{ label: 'Chờ trung bình', value: (f) => duration(f.wait_seconds_avg) },
		{ label: 'Phục vụ trung bình', value: (f) => duration(f.serve_seconds_avg) },
		{ label: 'Hài lòng', value: (f) => `${percent(f.satisfaction_rate)} (${count(f.ratings.very_satisfied + f.ratings.satisfied)}/${count(f.ratings.very_satisfied + f.ratings.satisfied + f.ratings.not_satisfied)})` },
	];
	const load = async () => {
		try {
			const r = await get(`/api/v1/queue/stats${qs({ unit_code: which.value, from, to })}`);
			clear(out, h('p', {}, `Cả trung tâm: ${count(r.all.issued)} lượt lấy số, chờ trung bình ${duration(r.all.wait_seconds_avg)} (trung vị ${duration(r.all.wait_seconds_median)}), phục vụ trung bình ${duration(r.all.serve_seconds_avg)}.`),
				table('Theo quầy', cols('Quầy'), r.counters, { empty: 'Trung tâm chưa thiết lập quầy.' }),
				table('Theo nhóm dịch vụ', cols('Nhóm'), r.services, { empty: 'Chưa có nhóm dịch vụ.' }));
		} catch (e) {
			clear(out, h('p', { class: 'muted' }, e.status === 404 ?
				'Trung tâm này không thuộc đơn vị của bạn.' : e.message));
		}
	};
	which.addEventListener('change', load);
	box.append(field('Trung tâm', which), out);
	get('/api/v1/public/centres', { auth: null }).then((c) => {
		clear(which, c.items.map((x) => h('option', { value: x.code, selected: x.code === user.unit_code }, x.name)));
		load();
	}).catch((e) => showError(box, e));
	return box;
}
