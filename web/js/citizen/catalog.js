// catalog.js — finding the right procedure in plain words: type what you
// need (diacritics optional) or pick a field of life, narrow to what can
// be done online or at which level, then read the procedure — its
// papers, time, fees — and start the application.
import { get, qs } from '../api.js';
import { h, clear, field, table, showError } from '../dom.js';
import { money, period, LEVEL, FORM } from '../fmt.js';

const ONLINE = { full: 'Nộp và nhận kết quả trực tuyến', partial: 'Nộp hồ sơ trực tuyến', none: 'Chỉ nộp trực tiếp hoặc qua bưu chính' };

export async function render(view, ctx) {
	if (ctx.route === 'thu-tuc')
		return procedure(view, ctx.params[0]);
	return finder(view, ctx.route === 'linh-vuc' ? ctx.params[0] : '');
}

async function finder(view, fieldName) {
	const q = h('input', { type: 'search', name: 'q', autocomplete: 'off', placeholder: 'Ví dụ: đăng ký khai sinh, cap phieu ly lich' });
	const online = h('input', { type: 'checkbox', name: 'online' });
	const level = h('select', { name: 'level' }, h('option', { value: '' }, 'Mọi cấp'),
		Object.entries(LEVEL).map(([k, v]) => h('option', { value: k }, v === 'Cấp huyện' ? 'Cấp huyện (khu vực)' : v)));
	const results = h('div', { id: 'found', 'aria-live': 'polite' });
	const fields = h('div', { id: 'fields' });
	const form = h('form', { class: 'card', role: 'search', 'aria-labelledby': 'find-h' },
		h('h2', { id: 'find-h' }, 'Bạn cần làm thủ tục gì?'),
		field('Gõ vài từ về việc bạn cần làm', q, 'Có dấu hay không dấu đều được.'),
		h('div', { class: 'grid two' }, field('Cơ quan giải quyết', level),
			h('label', { class: 'check' }, online, h('span', {}, 'Chỉ thủ tục nộp được trực tuyến'))),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Tìm thủ tục')));
	let asked = 0;
	const search = async () => {
		const n = ++asked;
		const text = q.value.trim();
		if (!text && !fieldName) {
			clear(results);
			return;
		}
		try {
			const r = await get(`/api/v1/procedures${qs({ q: text, field: fieldName, level: level.value, limit: 100 })}`, { auth: null });
			if (n !== asked)
				return;
			const items = r.items.filter((p) => !online.checked || p.online_level !== 'none');
			clear(results, h('h3', {}, fieldName ? `Lĩnh vực ${fieldName}: ${items.length} thủ tục` : `Tìm được ${items.length} thủ tục`),
				items.length ? h('ul', { class: 'list' }, items.map((p) => h('li', {},
					h('a', { href: `#/thu-tuc/${encodeURIComponent(p.code)}`, class: 'pick-link' }, p.name), h('br'),
					h('small', { class: 'muted' }, `${LEVEL[p.level] || ''} · ${period(p.processing_time)} · ${ONLINE[p.online_level] || ''}`))))
					: h('p', { class: 'empty' }, 'Chưa thấy thủ tục phù hợp. Thử từ khác, ít từ hơn, hoặc chọn lĩnh vực bên dưới.'));
		} catch (e) {
			showError(results, e);
		}
	};
	let t = null;
	q.addEventListener('input', () => { clearTimeout(t); t = setTimeout(search, 300); });
	form.addEventListener('change', search);
	form.addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
	clear(view, form, results, fields);
	if (fieldName) {
		fields.append(h('p', {}, h('a', { href: '#/' }, '← Tất cả lĩnh vực')));
		search();
		return;
	}
	try {
		const f = await get('/api/v1/procedure-fields', { auth: null });
		/* In the order of the Vietnamese alphabet (Đ after D). */
		const vi = new Intl.Collator('vi');
		f.items.sort((a, b) => vi.compare(a.field, b.field));
		clear(fields, h('section', { class: 'card', 'aria-labelledby': 'fields-h' },
			h('h2', { id: 'fields-h' }, 'Hoặc chọn theo lĩnh vực'),
			h('ul', { class: 'list' }, f.items.map((x) => h('li', {},
				h('a', { href: `#/linh-vuc/${encodeURIComponent(x.field)}` }, x.field),
				h('small', { class: 'muted' }, ` — ${x.procedures} thủ tục, ${x.online} nộp trực tuyến`))))));
	} catch (e) {
		showError(fields, e);
	}
}

async function procedure(view, code) {
	let p;
	try {
		p = await get(`/api/v1/procedures/${encodeURIComponent(code)}`, { auth: null });
	} catch (e) {
		clear(view);
		showError(view, e);
		return;
	}
	document.title = `${p.name} — Dịch vụ công trực tuyến`;
	const fees = p.fees.length ? p.fees.map((f) => `${f.name}: ${money(f.amount)}${f.per === 'copy' ? ' mỗi bản' : f.per === 'page' ? ' mỗi trang' : ''}` +
		(f.online_discount_percent ? ` (nộp trực tuyến giảm ${f.online_discount_percent}%)` : '')) : ['Không thu phí, lệ phí.'];
	clear(view, h('article', { class: 'card' },
		h('h2', { tabindex: '-1', id: 'proc-h' }, p.name),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Mã thủ tục'), h('dd', { class: 'code' }, p.code),
			h('dt', {}, 'Lĩnh vực'), h('dd', {}, p.field),
			h('dt', {}, 'Cấp thực hiện'), h('dd', {}, LEVEL[p.level] || p.level),
			h('dt', {}, 'Thời hạn giải quyết'), h('dd', {}, period(p.processing_time),
				p.online_reduction_percent ? ` (nộp trực tuyến rút ngắn ${p.online_reduction_percent}%)` : ''),
			h('dt', {}, 'Kết quả'), h('dd', {}, p.result.document_type),
			h('dt', {}, 'Hình thức'), h('dd', {}, ONLINE[p.online_level] || '')),
		h('h3', {}, 'Phí, lệ phí'), h('ul', {}, fees.map((f) => h('li', {}, f))),
		h('h3', {}, 'Thành phần hồ sơ'),
		table(null, [
			{ label: 'Giấy tờ', value: (c) => c.name },
			{ label: 'Loại', value: (c) => `${FORM[c.form] || c.form}, ${c.quantity} bản` },
			{ label: 'Bắt buộc', value: (c) => c.required ? 'Có' : 'Nếu có' },
		], p.components),
		h('div', { class: 'actions' }, p.online_level !== 'none' ?
			h('a', { class: 'button primary', href: `#/nop/${encodeURIComponent(p.code)}` }, 'Nộp hồ sơ trực tuyến') :
			h('p', { class: 'notice' }, 'Thủ tục này nộp trực tiếp tại Bộ phận một cửa hoặc qua bưu chính.'),
		h('a', { class: 'button', href: '#/' }, 'Tìm thủ tục khác'))));
	view.querySelector('#proc-h').focus();
}
