// counter.js — Quầy tiếp nhận: the procedure found by folded search, the
// applicant found by ID (earlier dossiers, stored documents to reuse, the
// population database when connected), the component checklist, then
// the dossier taken in: its appointment, fees with the VietQR code, the
// receipt slip to print and the scans to attach. Beside it, the online
// submissions waiting for the counter.
import { get, post, api, qs, blobUrl, ApiError, newKey, sendWhenOnline } from '../api.js';
import { h, clear, field, busy, keepDraft, announce, showError, table } from '../dom.js';
import { dateTime, money, period, LEVEL, FORM, STATUS, CHANNEL } from '../fmt.js';
import { upload } from '../upload.js';

let state;

export async function render(view, ctx) {
	state = { ctx, proc: null, offers: null };
	const form = h('form', { id: 'intake', novalidate: true,
		'aria-labelledby': 'intake-h' });
	const queue = h('section', { class: 'card', 'aria-labelledby': 'queue-h' },
		h('h2', { id: 'queue-h' }, 'Hồ sơ trực tuyến chờ tiếp nhận'),
		h('p', { class: 'muted' }, 'Đang tải…'));
	const caller = h('section', { class: 'card', 'aria-labelledby': 'call-h', hidden: true });
	clear(view, h('div', { class: 'grid side' },
		h('div', {}, h('h2', { id: 'intake-h' }, 'Tiếp nhận hồ sơ'), form),
		h('div', {}, caller, queue)));
	buildForm(form);
	callPanel(caller, ctx);
	loadQueue(queue);
}

/*
 * Gọi số: the counter this PC is (kept on it), the next number called
 * to it, then Xong (with the dossier just taken in) or Không đến.
 */
async function callPanel(box, ctx) {
	let floor;
	try {
		floor = await get(`/api/v1/units/${encodeURIComponent(ctx.user.unit_code)}/queue`);
	} catch {
		return;
	}
	if (!floor.counters.length)
		return;
	const saved = localStorage.getItem('motcua.counter');
	const which = h('select', { name: 'counter' }, floor.counters.map((c) => h('option', {
		value: String(c.number), selected: String(c.number) === saved },
	`${c.name} (nhóm ${c.services.join(', ')})`)));
	which.addEventListener('change', () => localStorage.setItem('motcua.counter', which.value));
	if (!saved)
		localStorage.setItem('motcua.counter', which.value);
	const now = h('div', { id: 'serving', 'aria-live': 'polite' });
	const next = h('button', { type: 'button', class: 'primary' }, 'Gọi số tiếp theo');
	const show = () => {
		const t = JSON.parse(sessionStorage.getItem('motcua.ticket') || 'null');
		if (!t) {
			clear(now, h('p', { class: 'muted' }, 'Chưa gọi số nào.'));
			return;
		}
		const end = (missed) => async (ev) => {
			const body = missed ? undefined : {};
			const last = sessionStorage.getItem('motcua.lastDossier');
			if (!missed && last)
				body.dossier_code = last;
			const r = await busy(ev.target, box, () => post(`/api/v1/queue/tickets/${t.id}/${missed ? 'missed' : 'finish'}`, body));
			if (r) {
				sessionStorage.removeItem('motcua.ticket');
				sessionStorage.removeItem('motcua.lastDossier');
				announce(missed ? `Số ${t.number} không đến.` : `Đã phục vụ xong số ${t.number}.`);
				show();
			}
		};
		clear(now, h('p', {}, 'Đang phục vụ số ', h('strong', { class: 'number-now' }, t.number),
			` — ${t.service_name}, lấy số lúc ${dateTime(t.issued_at)}.`),
		h('div', { class: 'actions' },
			h('button', { type: 'button', onclick: end(false) }, 'Xong'),
			h('button', { type: 'button', onclick: end(true) }, 'Không đến')));
	};
	next.addEventListener('click', async () => {
		const r = await busy(next, box, () => post('/api/v1/queue/call', { counter: Number(which.value) }));
		if (!r)
			return;
		sessionStorage.removeItem('motcua.lastDossier');
		if (!r.ticket) {
			sessionStorage.removeItem('motcua.ticket');
			show();
			announce('Không còn ai chờ ở các nhóm của quầy này.');
			return;
		}
		sessionStorage.setItem('motcua.ticket', JSON.stringify(r.ticket));
		announce(`Mời số ${r.ticket.number} đến ${floor.counters.find((c) => String(c.number) === which.value).name}.`);
		show();
	});
	clear(box, h('h2', { id: 'call-h' }, 'Gọi số'), field('Quầy của máy này', which),
		h('div', { class: 'actions' }, next), now);
	box.hidden = false;
	show();
}

/* 1. The procedure. */
function procedureCard(form) {
	const q = h('input', { type: 'search', name: 'proc_q', autocomplete: 'off',
		placeholder: 'Ví dụ: ly lich tu phap, khai sinh' });
	const list = h('ul', { class: 'list', id: 'proc-results',
		'aria-label': 'Thủ tục tìm được' });
	const chosen = h('div', { id: 'proc-chosen' });
	const code = h('input', { type: 'hidden', name: 'procedure_code' });
	let timer = null, asked = 0;
	const search = async () => {
		const text = q.value.trim();
		const n = ++asked;
		if (text.length < 2) {
			clear(list);
			return;
		}
		try {
			const r = await get(`/api/v1/procedures${qs({ q: text, limit: 8 })}`);
			if (n !== asked)
				return;	/* a newer search is on its way */
			clear(list, r.items.length ? r.items.map((p) => h('li', {},
				h('button', { type: 'button', class: 'pick',
					onclick: () => choose(form, p.code) },
				h('span', { class: 'code' }, p.code), ' — ', p.name)))
				: h('li', { class: 'empty' }, 'Không có thủ tục nào khớp. ' +
					'Thử ít từ hơn hoặc từ khác.'));
		} catch (e) {
			showError(list.parentNode, e);
		}
	};
	q.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(search, 250);
	});
	return h('fieldset', {}, h('legend', {}, '1. Thủ tục hành chính'),
		field('Tìm thủ tục', q, 'Gõ vài từ của tên thủ tục, có dấu hay không dấu đều được.'),
		list, chosen, code);
}

async function choose(form, code, save = true) {
	const where = form.querySelector('#proc-chosen');
	let p;
	try {
		p = await get(`/api/v1/procedures/${encodeURIComponent(code)}`);
	} catch (e) {
		showError(where, e);
		return;
	}
	state.proc = p;
	form.elements.procedure_code.value = p.code;
	clear(form.querySelector('#proc-results'));
	const fees = p.fees.length ? p.fees.map((f) =>
		`${f.name}: ${money(f.amount)}${f.per === 'copy' ? '/bản' :
			f.per === 'page' ? '/trang' : ''}`).join('; ') : 'Không thu phí, lệ phí';
	clear(where, h('div', { class: 'success', 'aria-live': 'polite' },
		h('strong', {}, p.name),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Mã thủ tục'), h('dd', { class: 'code' }, p.code),
			h('dt', {}, 'Cấp thực hiện'), h('dd', {}, LEVEL[p.level] || p.level),
			h('dt', {}, 'Thời hạn giải quyết'), h('dd', {}, period(p.processing_time)),
			h('dt', {}, 'Phí, lệ phí'), h('dd', {}, fees))));
	checklist(form);
	await offers(form);
	/* Saved with the draft; not while the draft itself is put back. */
	if (save)
		form.dispatchEvent(new Event('change'));
}

/* 2. The applicant. */
function applicantCard(form) {
	const kind = h('select', { name: 'kind' },
		h('option', { value: 'person' }, 'Cá nhân'),
		h('option', { value: 'organization' }, 'Tổ chức, doanh nghiệp'));
	const id = h('input', { name: 'id_number', inputmode: 'numeric',
		autocomplete: 'off', required: true });
	const find = h('button', { type: 'button' }, 'Tìm người nộp');
	const earlier = h('div', { id: 'applicant-history' });
	find.addEventListener('click', () => busy(find, earlier, () =>
		lookUp(form, earlier)));
	id.addEventListener('keydown', (ev) => {
		if (ev.key === 'Enter') {
			ev.preventDefault();
			find.click();
		}
	});
	return h('fieldset', {}, h('legend', {}, '2. Người nộp hồ sơ'),
		field('Loại người nộp', kind),
		field('Số định danh cá nhân / mã số thuế', id,
			'12 số của căn cước; tổ chức: mã số thuế.'),
		h('div', { class: 'actions' }, find), earlier,
		field('Họ và tên', h('input', { name: 'name', required: true,
			autocomplete: 'off' })),
		field('Số điện thoại', h('input', { name: 'phone', type: 'tel',
			required: true, autocomplete: 'off' }),
		'Nhận tin nhắn về hồ sơ; 4 số cuối dùng để tra cứu.'),
		field('Địa chỉ', h('input', { name: 'address', autocomplete: 'off' })),
		field('Thư điện tử', h('input', { name: 'email', type: 'email',
			autocomplete: 'off' })));
}

// Earlier dossiers, the registry, stored documents of the ID typed.
async function lookUp(form, where) {
	const id = form.elements.id_number.value.trim();
	if (!id)
		throw new Error('Số định danh cá nhân / mã số thuế: chưa nhập (bắt buộc).');
	const r = await get(`/api/v1/dossiers${qs({ q: id, limit: 10 })}`);
	const parts = [h('h3', {}, 'Hồ sơ trước đây')];
	parts.push(table(null, [
		{ label: 'Mã hồ sơ', value: (d) => h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, d.code) },
		{ label: 'Thủ tục', value: (d) => d.procedure_name },
		{ label: 'Trạng thái', value: (d) => d.status_label || STATUS[d.status] },
		{ label: 'Tiếp nhận', value: (d) => dateTime(d.received_at || d.submitted_at) },
	], r.items, { empty: 'Người này chưa có hồ sơ nào ở đơn vị.' }));
	/* A recent dossier tells name, phone, address: offered, not forced. */
	const last = r.items[0];
	if (last && !form.elements.name.value) {
		const full = await get(`/api/v1/dossiers/${encodeURIComponent(last.code)}`);
		const a = full.applicant;
		form.elements.name.value = a.name || '';
		form.elements.phone.value = a.phone || '';
		form.elements.address.value = a.address || '';
		form.elements.email.value = a.email || '';
		form.elements.kind.value = a.kind || 'person';
		parts.push(h('p', { class: 'notice' }, 'Đã điền thông tin từ hồ sơ ' +
			`gần nhất (${last.code}). Kiểm tra lại với người nộp.`));
	}
	if (/^\d{12}$/.test(id)) {
		try {
			const p = await get(`/api/v1/registry/persons/${id}${qs({
				purpose: 'Tiếp nhận hồ sơ tại quầy',
				procedure_code: form.elements.procedure_code.value })}`);
			const diff = form.elements.name.value &&
				form.elements.name.value !== p.name;
			form.elements.name.value = p.name;
			if (p.permanent_address)
				form.elements.address.value = p.permanent_address;
			parts.push(h('p', { class: diff ? 'notice' : 'success' },
				`Theo Cơ sở dữ liệu quốc gia về dân cư: ${p.name}` +
				`${p.birth_date ? `, sinh ${p.birth_date.split('-').reverse().join('/')}` : ''}` +
				(diff ? '. Tên khác với hồ sơ trước: hỏi lại người nộp.' : '.')));
		} catch (e) {
			if (e.status === 404)
				parts.push(h('p', { class: 'notice' }, 'Cơ sở dữ liệu quốc gia ' +
					'về dân cư không có số định danh này: kiểm tra lại giấy tờ.'));
			/* Not connected (503) or slow: the officer types it in. */
		}
	}
	clear(where, parts);
	offers(form);
	form.dispatchEvent(new Event('change'));
}

// The applicant's stored documents that components may reuse.
async function offers(form) {
	const id = form.elements.id_number.value.trim();
	const proc = form.elements.procedure_code.value;
	state.offers = null;
	if (!id || !proc)
		return;
	try {
		state.offers = await get(`/api/v1/people/${encodeURIComponent(id)}/offers${qs({ procedure: proc })}`);
	} catch {
		state.offers = null;
	}
	checklist(form);
}

/* 3. The components. */
function checklist(form) {
	const where = form.querySelector('#components');
	const p = state.proc;
	if (!p) {
		clear(where, h('p', { class: 'muted' }, 'Chọn thủ tục để thấy thành phần hồ sơ.'));
		return;
	}
	const byComp = {};
	for (const o of (state.offers && state.offers.items) || [])
		byComp[o.component] = o.documents || [];
	/* Drawn again (the offers came): what was ticked stays ticked. */
	const kept = {};
	for (const el of where.querySelectorAll('input'))
		kept[`${el.name}=${el.value}`] = el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value;
	clear(where, p.components.map((c) => {
		const box = h('input', { type: 'checkbox', name: `c.${c.code}`,
			id: `c-${c.code}` });
		const docs = byComp[c.code] || [];
		const reuse = docs.length ? h('div', { class: 'reuse' },
			docs.map((d) => h('label', { class: 'check' },
				h('input', { type: 'radio', name: `r.${c.code}`, value: String(d.id),
					onchange: () => { box.checked = true; } }),
				h('span', {}, `Dùng lại ${d.type_code}${d.number ? ` số ${d.number}` : ''}` +
					(d.valid_until ? `, hiệu lực đến ${d.valid_until.split('-').reverse().join('/')}` : '') +
					(d.source_dossier ? ` (từ hồ sơ ${d.source_dossier})` : '')))),
			h('label', { class: 'check' }, h('input', { type: 'radio',
				name: `r.${c.code}`, value: '', checked: true }),
			h('span', {}, 'Người nộp mang bản giấy')),
			c.required ? field('Lý do yêu cầu nộp lại (khi không dùng lại)',
				h('input', { name: `why.${c.code}` })) : null) : null;
		return h('div', { class: 'component' },
			h('label', { class: 'check', for: `c-${c.code}` }, box,
				h('span', {}, h('strong', {}, c.name),
					` — ${FORM[c.form] || c.form}, ${c.quantity} bản`,
					c.required ? ' (bắt buộc)' : ' (nếu có)')),
			reuse);
	}));
	for (const el of where.querySelectorAll('input')) {
		const k = `${el.name}=${el.value}`;
		if (!(k in kept))
			continue;
		if (el.type === 'checkbox' || el.type === 'radio')
			el.checked = kept[k];
	}
}

function channelCard() {
	const radio = (v, label, checked) => h('label', { class: 'check' },
		h('input', { type: 'radio', name: 'channel', value: v, checked }),
		h('span', {}, label));
	return h('fieldset', {}, h('legend', {}, '4. Hình thức'),
		h('div', { role: 'radiogroup', 'aria-label': 'Hình thức nộp' },
			radio('direct', 'Nộp trực tiếp tại quầy', true),
			radio('postal', 'Nhận qua dịch vụ bưu chính công ích', false)),
		field('Nhận kết quả', h('select', { name: 'return_channel' },
			h('option', { value: '' }, 'Theo hình thức nộp'),
			h('option', { value: 'counter' }, 'Tại bộ phận một cửa'),
			h('option', { value: 'postal' }, 'Qua bưu chính'),
			h('option', { value: 'online' }, 'Trực tuyến'))));
}

function buildForm(form) {
	const submit = h('button', { type: 'submit', class: 'primary' }, 'Tiếp nhận hồ sơ');
	const reset = h('button', { type: 'button' }, 'Nhập lại từ đầu');
	const done = h('section', { id: 'intake-done', 'aria-live': 'polite' });
	/* This dossier's Idempotency-Key, kept with the draft. */
	const key = h('input', { type: 'hidden', name: 'idempotency_key', value: newKey() });
	clear(form, procedureCard(form), applicantCard(form),
		h('fieldset', {}, h('legend', {}, '3. Thành phần hồ sơ'),
			h('div', { id: 'components' })),
		channelCard(), key, h('div', { class: 'actions' }, submit, reset), done);
	checklist(form);
	const draft = keepDraft(form, 'intake');
	if (draft.restore()) {
		const code = form.elements.procedure_code.value;
		announce('Đã khôi phục hồ sơ đang nhập dở trên máy này.');
		if (code) {
			/* The checklist is drawn again: its ticks come back after. */
			choose(form, code, false).then(() => { draft.restore(); });
		}
	}
	reset.addEventListener('click', () => {
		draft.forget();
		render(form.closest('.screen'), state.ctx);
	});
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		draft.save();
		/* A dropped line: kept here and sent when it returns, once. */
		const d = await busy(submit, form, () => sendWhenOnline(() => intake(form), () =>
			showError(form, new Error('Mất kết nối máy chủ. Hồ sơ đang nhập được giữ trên máy này ' +
				'và sẽ tự gửi khi có mạng lại — không cần nhập lại, không bị tiếp nhận hai lần.'))));
		if (!d)
			return;
		showError(form, null);
		draft.forget();
		form.hidden = true;
		/* The visit being served was for this dossier. */
		sessionStorage.setItem('motcua.lastDossier', d.code);
		receipt(form, d);
	});
}

async function intake(form) {
	const e = form.elements;
	if (!state.proc)
		throw new Error('Thủ tục: chưa chọn. Tìm và chọn thủ tục ở mục 1.');
	const components = state.proc.components.map((c) => {
		const item = { code: c.code, provided: e[`c.${c.code}`].checked };
		const r = e[`r.${c.code}`];
		if (r && r.value) {
			item.document_id = Number(r.value);
			item.provided = true;
		} else if (e[`why.${c.code}`] && e[`why.${c.code}`].value.trim())
			item.asked_again_reason = e[`why.${c.code}`].value.trim();
		return item;
	});
	const applicant = { kind: e.kind.value, id_number: e.id_number.value.trim(),
		name: e.name.value.trim(), phone: e.phone.value.trim() };
	if (e.address.value.trim())
		applicant.address = e.address.value.trim();
	if (e.email.value.trim())
		applicant.email = e.email.value.trim();
	const body = { procedure_code: state.proc.code, channel: e.channel.value,
		applicant, components };
	if (e.return_channel.value)
		body.return_channel = e.return_channel.value;
	return post('/api/v1/dossiers', body, { idempotencyKey: e.idempotency_key.value });
}

// The dossier taken in: appointment, fees, receipt, scans.
async function receipt(form, d) {
	const where = form.parentNode.querySelector('#intake-done') ||
		form.querySelector('#intake-done');
	const box = h('div', { class: 'card', id: 'receipt' },
		h('h3', { tabindex: '-1' }, `Đã tiếp nhận hồ sơ ${d.code}`),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Mã hồ sơ'), h('dd', { class: 'code', id: 'dossier-code' }, d.code),
			h('dt', {}, 'Người nộp'), h('dd', {}, d.applicant.name),
			h('dt', {}, 'Trạng thái'), h('dd', {}, d.status_label || STATUS[d.status]),
			h('dt', {}, 'Hẹn trả kết quả'), h('dd', { id: 'due' }, d.due_at ?
				dateTime(d.due_at) : 'Khi hồ sơ được tiếp nhận')));
	const fees = h('div', { id: 'fees' });
	const print = h('button', { type: 'button', class: 'primary' }, 'In phiếu tiếp nhận');
	const again = h('button', { type: 'button' }, 'Tiếp nhận hồ sơ mới');
	print.addEventListener('click', () => busy(print, box, () =>
		openPdf(`/api/v1/dossiers/${encodeURIComponent(d.code)}/forms/receipt.pdf`)));
	again.addEventListener('click', () => render(form.closest('.screen'), state.ctx));
	box.append(fees, h('div', { class: 'actions' }, print,
		h('a', { class: 'button', href: `#/ho-so/${encodeURIComponent(d.code)}` }, 'Mở hồ sơ'),
		again), scans(d));
	form.closest('.screen').querySelector('#intake-h').after(box);
	box.querySelector('h3').focus();
	announce(`Đã tiếp nhận hồ sơ ${d.code}.`);
	try {
		const f = await get(`/api/v1/dossiers/${encodeURIComponent(d.code)}/fees`);
		if (!f.total) {
			clear(fees, h('p', {}, 'Không phải nộp phí, lệ phí.'));
			return;
		}
		clear(fees, h('h3', {}, 'Phí, lệ phí'),
			table(null, [
				{ label: 'Khoản thu', value: (i) => i.name },
				{ label: 'Số tiền', value: (i) => money(i.amount) },
			], f.items),
			h('p', {}, h('strong', {}, `Tổng cộng: ${money(f.total)}`), ` (${f.total_words})`),
			f.outstanding ? h('p', {}, `Còn phải nộp: ${money(f.outstanding)}`) : null);
		if (f.outstanding && f.payment) {
			const img = h('img', { class: 'qr', alt: `Mã VietQR chuyển khoản ${money(f.outstanding)} cho hồ sơ ${d.code}` });
			fees.append(h('figure', {}, img, h('figcaption', {},
				`Quét mã bằng ứng dụng ngân hàng: ${f.payment.account_name}, ` +
				`tài khoản ${f.payment.account}, nội dung ${f.payment.purpose}.`)));
			img.src = await blobUrl(`/api/v1/dossiers/${encodeURIComponent(d.code)}/payment-qr.svg`);
		}
	} catch (e) {
		showError(fees, e);
	}
}

// Attach a scan per component handed in, certified as matching.
function scans(d) {
	const rows = d.components.filter((c) => c.provided && !c.reused);
	if (!rows.length)
		return null;
	return h('details', { class: 'scans' }, h('summary', {}, 'Đính kèm bản quét giấy tờ'),
		rows.map((c) => {
			const file = h('input', { type: 'file', accept: 'application/pdf,image/jpeg,image/png' });
			const same = h('input', { type: 'checkbox' });
			const go = h('button', { type: 'button' }, 'Tải lên');
			const bar = h('progress', { max: 100, value: 0, hidden: true,
				'aria-label': `Tiến độ tải ${c.name}` });
			const out = h('div', {});
			go.addEventListener('click', () => busy(go, out, async () => {
				if (!file.files[0])
					throw new Error('Chọn tệp bản quét trước.');
				if (!same.checked)
					throw new Error('Xác nhận bản quét đúng với bản chính trước khi tải lên.');
				bar.hidden = false;
				const sha = await upload(file.files[0], (n, t) => {
					bar.value = t ? Math.round(100 * n / t) : 100;
				});
				await api('PUT', `/api/v1/dossiers/${encodeURIComponent(d.code)}/components/${encodeURIComponent(c.code)}/scan`,
					{ sha256: sha, matches_original: true });
				clear(out, h('p', { class: 'success' }, `Đã số hóa: ${c.name}.`));
			}));
			return h('div', { class: 'field' }, h('strong', {}, c.name),
				field('Tệp bản quét (PDF, JPEG, PNG)', file),
				h('label', { class: 'check' }, same, h('span', {}, 'Tôi đã đối chiếu bản quét với bản chính')),
				h('div', { class: 'actions' }, go), bar, out);
		}));
}

// A file the API gives to signed-in staff (a PDF to print, a spreadsheet),
// saved by the browser as 'name'.
export async function openPdf(path, name = path.split('?')[0].split('/').pop()) {
	const url = await blobUrl(path);
	const a = h('a', { href: url, target: '_blank', rel: 'noopener',
		download: name });
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function loadQueue(queue) {
	try {
		const r = await get(`/api/v1/dossiers${qs({ status: 'submitted', limit: 20 })}`);
		clear(queue, h('h2', { id: 'queue-h' }, 'Hồ sơ trực tuyến chờ tiếp nhận'),
			r.items.length ? h('ul', { class: 'list' }, r.items.map((d) => h('li', {},
				h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, d.code), h('br'),
				`${d.applicant_name} — ${d.procedure_name}`, h('br'),
				h('small', { class: 'muted' }, `Nộp lúc ${dateTime(d.submitted_at)}, ${CHANNEL[d.channel] || ''}`))))
				: h('p', { class: 'empty' }, 'Không có hồ sơ nào đang chờ.'));
	} catch (e) {
		if (!(e instanceof ApiError && e.status === 401))
			showError(queue, e);
	}
}
