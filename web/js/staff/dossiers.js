// dossiers.js — Tra cứu hồ sơ (#/ho-so) and one dossier's page
// (#/ho-so/CODE): its facts, steps with their due instants, the timeline
// of events, components, messages, payments, results, and the actions the
// user may take now — only those the API says are allowed.
import { get, post, qs } from '../api.js';
import { h, clear, field, busy, table, showError, announce } from '../dom.js';
import { dateTime, money, STATUS, CHANNEL, TIMELINESS, ACTION, FORM, ROLE } from '../fmt.js';
import { openPdf } from './counter.js';

export async function render(view, ctx) {
	if (ctx.params[0])
		return dossier(view, ctx, ctx.params[0]);
	return search(view);
}

async function search(view) {
	const q = h('input', { type: 'search', name: 'q' });
	const status = h('select', { name: 'status' }, h('option', { value: '' }, 'Mọi trạng thái'),
		Object.entries(STATUS).map(([k, v]) => h('option', { value: k }, v)));
	const go = h('button', { type: 'submit', class: 'primary' }, 'Tìm');
	const out = h('div', { id: 'results' });
	const form = h('form', { class: 'card', role: 'search' },
		field('Mã hồ sơ, số định danh hoặc tên người nộp', q,
			'Tên có thể gõ không dấu.'), field('Trạng thái', status),
		h('div', { class: 'actions' }, go));
	const run = async () => {
		const r = await get(`/api/v1/dossiers${qs({ q: q.value.trim(), status: status.value, limit: 50 })}`);
		clear(out, table(null, [
			{ label: 'Mã hồ sơ', value: (d) => h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, d.code) },
			{ label: 'Người nộp', value: (d) => d.applicant_name },
			{ label: 'Thủ tục', value: (d) => d.procedure_name },
			{ label: 'Trạng thái', value: (d) => STATUS[d.status] },
			{ label: 'Hẹn trả', value: (d) => dateTime(d.due_at) },
			{ label: 'Tiến độ', value: (d) => h('span', { class: `badge ${d.timeliness}` }, TIMELINESS[d.timeliness]) },
		], r.items, { empty: 'Không tìm thấy hồ sơ nào.' }));
	};
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		busy(go, out, run);
	});
	clear(view, h('h2', {}, 'Tra cứu hồ sơ'), form, out);
	busy(go, out, run);
}

const EVENT = {
	...ACTION, intake: 'Tiếp nhận hồ sơ', due_soon: 'Cảnh báo sắp đến hạn',
	overdue: 'Cảnh báo quá hạn', scan: 'Số hóa thành phần hồ sơ',
	paid: 'Đã thanh toán phí, lệ phí',
};

async function dossier(view, ctx, code) {
	const path = `/api/v1/dossiers/${encodeURIComponent(code)}`;
	let d, events;
	try {
		[d, events] = await Promise.all([get(path), get(`${path}/events`)]);
	} catch (e) {
		clear(view, h('h2', {}, `Hồ sơ ${code}`));
		showError(view, e);
		return;
	}
	document.title = `Hồ sơ ${d.code} — Hệ thống một cửa`;
	const a = d.applicant;
	const head = h('section', { class: 'card' },
		h('h2', { tabindex: '-1', id: 'dossier-h' }, `Hồ sơ ${d.code}`),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Thủ tục'), h('dd', {}, `${d.procedure_name} (${d.procedure_code})`),
			h('dt', {}, 'Người nộp'), h('dd', {}, `${a.name} — ${a.id_number}`),
			h('dt', {}, 'Điện thoại'), h('dd', {}, a.phone || '—'),
			h('dt', {}, 'Địa chỉ'), h('dd', {}, a.address || '—'),
			h('dt', {}, 'Hình thức'), h('dd', {}, `Nộp ${(CHANNEL[d.channel] || '').toLowerCase()}, nhận kết quả ${(CHANNEL[d.return_channel] || '').toLowerCase()}`),
			h('dt', {}, 'Trạng thái'), h('dd', { id: 'dossier-status' }, d.status_label || STATUS[d.status]),
			h('dt', {}, 'Tiếp nhận'), h('dd', {}, dateTime(d.received_at) || 'Chưa tiếp nhận'),
			h('dt', {}, 'Hẹn trả kết quả'), h('dd', {}, dateTime(d.due_at) || '—',
				d.original_due_at && d.due_at !== d.original_due_at ? ` (hẹn ban đầu ${dateTime(d.original_due_at)})` : ''),
			h('dt', {}, 'Tiến độ'), h('dd', {}, h('span', { class: `badge ${d.timeliness}` }, TIMELINESS[d.timeliness])),
			d.reason ? [h('dt', {}, 'Lý do'), h('dd', {}, d.reason)] : null,
			d.result_number ? [h('dt', {}, 'Số kết quả'), h('dd', {}, d.result_number)] : null));
	const acts = actions(d, ctx, () => dossier(view, ctx, code));
	const steps = h('section', { class: 'card' }, h('h3', {}, 'Quy trình xử lý'),
		table(null, [
			{ label: 'Bước', value: (s) => s.name },
			{ label: 'Đơn vị', value: (s) => s.unit_code },
			{ label: 'Người xử lý', value: (s) => s.assignee || 'Chưa giao' },
			{ label: 'Bắt đầu', value: (s) => dateTime(s.started_at) },
			{ label: 'Hạn bước', value: (s) => dateTime(s.due_at) || '—' },
			{ label: 'Xong', value: (s) => s.finished_at ? `${dateTime(s.finished_at)}${s.timeliness ? ` — ${TIMELINESS[s.timeliness]}` : ''}` : 'Đang xử lý' },
		], d.steps, { empty: 'Chưa vào quy trình.' }));
	const timeline = h('section', { class: 'card' }, h('h3', {}, 'Diễn biến'),
		h('ol', { class: 'timeline', id: 'timeline' }, events.items.map((e) => h('li', {},
			h('time', { datetime: e.at }, dateTime(e.at)),
			h('strong', {}, EVENT[e.action] || e.action),
			` — ${e.actor === 'system' ? 'Hệ thống' : e.actor}`,
			e.to_status && e.from_status !== e.to_status ? `, chuyển sang «${STATUS[e.to_status]}»` : '',
			e.note ? h('div', {}, e.note) : null))));
	const comps = h('section', { class: 'card' }, h('h3', {}, 'Thành phần hồ sơ'),
		table(null, [
			{ label: 'Giấy tờ', value: (c) => c.name },
			{ label: 'Loại', value: (c) => `${FORM[c.form] || c.form}, ${c.quantity} bản` },
			{ label: 'Đã nộp', value: (c) => c.provided ? (c.reused ? 'Dùng lại từ kho dữ liệu' : 'Có') : 'Chưa' },
			{ label: 'Số hóa', value: (c) => c.file ? h('button', { type: 'button',
				onclick: (ev) => busy(ev.target, comps, () => openPdf(`/api/v1/files/${c.file.sha256}`,
					`${c.code}.${({ 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' })[c.file.media_type] || 'bin'}`)) },
				'Tải tệp') : (c.digitized ? 'Có' : 'Chưa') },
		], d.components));
	const more = h('div', {});
	clear(view, head, acts, h('div', { class: 'grid two' }, h('div', {}, steps, comps), h('div', {}, timeline, more)));
	extras(more, path, d);
}

// Messages, payments, results: read after the page shows.
async function extras(where, path, d) {
	const [msgs, pays, res] = await Promise.allSettled([
		get(`${path}/messages`), get(`${path}/payments`), get(`${path}/results`)]);
	if (pays.status === 'fulfilled') {
		const box = h('section', { class: 'card', id: 'payments' }, h('h3', {}, 'Thanh toán'),
			table(null, [
				{ label: 'Biên lai', value: (p) => h('button', { type: 'button', class: 'link',
					onclick: (ev) => busy(ev.target, box, () => printReceipt(p.receipt_no)) }, p.receipt_no) },
				{ label: 'Số tiền', value: (p) => money(p.amount) },
				{ label: 'Hình thức', value: (p) => ({ cash: 'Tiền mặt', card: 'Thẻ', transfer: 'Chuyển khoản' })[p.method] || p.platform || p.method },
				{ label: 'Thời điểm', value: (p) => dateTime(p.paid_at) },
			], pays.value.items, { empty: 'Chưa có khoản thanh toán nào.' }));
		where.append(box);
		collect(box, path);
	}
	if (res.status === 'fulfilled' && res.value.items.length)
		where.append(h('section', { class: 'card' }, h('h3', {}, 'Kết quả điện tử'),
			h('ul', {}, res.value.items.map((r) => h('li', {}, `${r.number || r.code} — ký ${dateTime(r.signed_at)} `,
				h('a', { href: r.verify_url.replace(/^https?:\/\/[^/]+/, ''), target: '_blank' }, 'Kiểm tra chữ ký'))))));
	if (msgs.status === 'fulfilled')
		where.append(h('section', { class: 'card' }, h('h3', {}, 'Tin nhắn gửi người nộp'),
			table(null, [
				{ label: 'Lúc', value: (m) => dateTime(m.created_at) },
				{ label: 'Kênh', value: (m) => ({ sms: 'SMS', email: 'Thư điện tử', zalo: 'Zalo' })[m.channel] || m.channel },
				{ label: 'Nội dung', value: (m) => m.body || m.subject || '' },
				{ label: 'Tình trạng', value: (m) => ({ pending: 'Chờ gửi', sending: 'Đang gửi', sent: 'Đã gửi', delivered: 'Đã nhận', failed: 'Gửi lỗi', expired: 'Hết hạn' })[m.status] || m.status },
			], msgs.value.items, { empty: 'Chưa có tin nhắn nào.' })));
	if (d.status === 'returned' || d.status === 'result_ready')
		where.append(h('p', {}, h('a', { href: `#/danh-gia/${encodeURIComponent(d.code)}` }, 'Mời người nộp đánh giá')));
}

// At the counter: what is still owed, collected in cash or by card.
async function collect(box, path) {
	let f;
	try {
		f = await get(`${path}/fees`);
	} catch {
		return;
	}
	if (!f.outstanding)
		return;
	const pay = (method, label) => h('button', { type: 'button', class: 'primary', onclick: (ev) =>
		busy(ev.target, box, async () => {
			const r = await post(`${path}/payments`, { method, amount: f.outstanding });
			announce(`Đã thu ${money(r.amount)}, biên lai ${r.receipt_no}.`);
			await printReceipt(r.receipt_no);
		}) }, label);
	box.append(h('p', {}, h('strong', {}, `Còn phải thu: ${money(f.outstanding)}`), ` (${f.total_words})`),
		h('div', { class: 'actions' }, pay('cash', 'Thu tiền mặt'), pay('card', 'Thu bằng thẻ')));

}

// The receipt (biên lai), shown on its own for the printer.
async function printReceipt(number) {
	const r = await get(`/api/v1/receipts/${encodeURIComponent(number)}`);
	const old = document.getElementById('receipt-print');
	if (old)
		old.remove();
	const sheet = h('section', { id: 'receipt-print', class: 'card', 'aria-label': 'Biên lai' },
		h('p', {}, r.unit.name),
		h('h3', {}, r.title), h('p', {}, `Số: ${r.receipt_no}`),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Người nộp'), h('dd', {}, `${r.payer} — ${r.payer_id_number}`),
			h('dt', {}, 'Hồ sơ'), h('dd', {}, `${r.dossier.code} — ${r.dossier.procedure_name}`),
			h('dt', {}, 'Thời điểm'), h('dd', {}, dateTime(r.paid_at))),
		table(null, [
			{ label: 'Khoản thu', value: (i) => i.name },
			{ label: 'Số tiền', value: (i) => money(i.amount) },
		], r.items),
		h('p', {}, h('strong', {}, `Tổng cộng: ${money(r.amount)}`), ` (${r.amount_words})`),
		h('p', {}, `Người thu: ${r.recorded_by}`),
		h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => {
			document.body.classList.add('printing');
			window.print();
			document.body.classList.remove('printing');
		} }, 'In biên lai'), h('button', { type: 'button', onclick: () => sheet.remove() }, 'Đóng')));
	document.getElementById('view').prepend(sheet);
	sheet.querySelector('h3').setAttribute('tabindex', '-1');
	sheet.querySelector('h3').focus();
}

// The panel of the actions allowed now, each with the fields it needs.
function actions(d, ctx, reload) {
	const box = h('section', { class: 'card', 'aria-labelledby': 'acts-h' },
		h('h3', { id: 'acts-h' }, 'Thao tác'));
	const forms = h('div', {});
	const printable = [['receipt', 'In phiếu tiếp nhận'], ['control', 'In phiếu kiểm soát quá trình']];
	if (d.status === 'awaiting_supplement')
		printable.push(['supplement', 'In phiếu yêu cầu bổ sung']);
	if (d.status === 'refused')
		printable.push(['refusal', 'In phiếu từ chối']);
	if (d.apologies)
		printable.push(['apology', 'In phiếu xin lỗi, hẹn lại']);
	if (d.status === 'stopped' || d.status === 'withdrawn')
		printable.push(['stop', 'In thông báo dừng xử lý']);
	const row = h('div', { class: 'actions' }, d.actions.map((a) => h('button', {
		type: 'button', class: a === 'refuse' || a === 'stop' ? 'danger' :
			['complete', 'return_result', 'accept', 'forward'].includes(a) ? 'primary' : null,
		onclick: () => open(a) }, ACTION[a] || a)),
	printable.map(([f, label]) => h('button', { type: 'button', onclick: (ev) =>
		busy(ev.target, box, () => openPdf(`/api/v1/dossiers/${encodeURIComponent(d.code)}/forms/${f}.pdf`)) }, label)));
	if (!d.actions.length)
		box.append(h('p', { class: 'muted' }, 'Không có thao tác nào bạn được làm với hồ sơ ở trạng thái này.'));
	box.append(row, forms);

	function open(a) {
		const inputs = [];
		const add = (label, el, hint) => { inputs.push(field(label, el, hint)); return el; };
		let reason, items, unit, assignee, due, number, summary, generate, channel;
		if (['refuse', 'withdraw', 'stop', 'request_supplement', 'apologize'].includes(a))
			reason = add('Lý do', h('textarea', { name: 'reason', required: true }));
		if (a === 'request_supplement')
			items = add('Giấy tờ cần bổ sung (mỗi dòng một loại)', h('textarea', { name: 'items', required: true }),
				'Ghi đủ mọi thứ còn thiếu: chỉ được yêu cầu bổ sung một lần.');
		if (a === 'forward') {
			unit = add('Chuyển đến đơn vị (để trống: bước tiếp theo của quy trình)', h('input', { name: 'unit_code', list: 'unit-list' }));
			inputs.push(h('datalist', { id: 'unit-list' }));
			unitHints(unit);
			assignee = add('Giao cho (tên đăng nhập, có thể để trống)', h('input', { name: 'assignee' }));
		}
		if (a === 'assign') {
			assignee = add('Giao cho', h('select', { name: 'assignee', required: true },
				h('option', { value: '' }, 'Đang tải danh sách cán bộ…')));
			const sel = assignee;
			get(`/api/v1/units/${encodeURIComponent(d.current_unit_code)}/staff`).then((r) => clear(sel,
				h('option', { value: '' }, '— Chọn cán bộ —'),
				r.items.filter((u) => u.role !== 'counter_officer').map((u) =>
					h('option', { value: u.username }, `${u.full_name} (${ROLE[u.role]})`))))
				.catch((e) => showError(forms, e));
		}
		if (a === 'apologize')
			due = add('Ngày hẹn mới', h('input', { type: 'datetime-local', name: 'new_due_at', required: true }));
		if (a === 'complete') {
			number = add('Số văn bản kết quả', h('input', { name: 'number' }));
			summary = add('Trích yếu kết quả', h('input', { name: 'summary' }));
			generate = h('input', { type: 'checkbox', name: 'generate', checked: true });
			inputs.push(h('label', { class: 'check' }, generate, h('span', {}, 'Tạo và ký số kết quả điện tử')));
		}
		if (a === 'return_result')
			channel = add('Trả kết quả qua', h('select', { name: 'channel' },
				h('option', { value: '' }, `Như đã hẹn (${(CHANNEL[d.return_channel] || '').toLowerCase()})`),
				h('option', { value: 'counter' }, 'Tại bộ phận một cửa'),
				h('option', { value: 'postal' }, 'Bưu chính'), h('option', { value: 'online' }, 'Trực tuyến')));
		const ok = h('button', { type: 'submit', class: 'primary' }, `Xác nhận: ${ACTION[a]}`);
		const cancel = h('button', { type: 'button', onclick: () => clear(forms) }, 'Hủy');
		const form = h('form', { class: 'card', 'aria-label': ACTION[a] }, h('h4', {}, ACTION[a]), inputs,
			h('div', { class: 'actions' }, ok, cancel));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const body = { action: a, version: d.version };
			if (reason)
				body.reason = reason.value.trim();
			if (items)
				body.items = items.value.split('\n').map((s) => s.trim()).filter(Boolean);
			if (unit && unit.value.trim())
				body.unit_code = unit.value.trim().split(' ')[0];
			if (assignee && assignee.value.trim())
				body.assignee = assignee.value.trim();
			if (due)
				body.new_due_at = due.value ? `${due.value}:00+07:00` : '';
			if (number || generate) {
				body.result = { generate: generate.checked };
				if (number.value.trim())
					body.result.number = number.value.trim();
				if (summary.value.trim())
					body.result.summary = summary.value.trim();
			}
			if (channel && channel.value)
				body.channel = channel.value;
			const r = await busy(ok, form, () => post(`/api/v1/dossiers/${encodeURIComponent(d.code)}/actions`, body));
			if (r) {
				announce(`Đã ${ACTION[a].toLowerCase()}: hồ sơ ${d.code}.`);
				await reload();
				document.getElementById('dossier-h')?.focus();
			}
		});
		clear(forms, form);
		(form.querySelector('textarea, input, select') || ok).focus();
	}
	return box;
}

// Units for the forward field, by words of their names.
function unitHints(input) {
	let t = null;
	input.addEventListener('input', () => {
		clearTimeout(t);
		t = setTimeout(async () => {
			const list = document.getElementById('unit-list');
			if (!list || input.value.trim().length < 2)
				return;
			try {
				const r = await get(`/api/v1/units${qs({ q: input.value.trim(), limit: 10 })}`);
				clear(list, r.items.map((u) => h('option', { value: `${u.code} ${u.name}` })));
			} catch { /* hints only */ }
		}, 250);
	});
}

