// account.js — Dữ liệu của tôi (the data store and the log of every
// read of it) and Phản ánh, kiến nghị (send one, follow one's own).
import { get, post, blobUrl } from '../api.js';
import { h, clear, field, busy, table, showError, keepDraft, announce } from '../dom.js';
import { date, dateTime } from '../fmt.js';

const C = { auth: 'citizen' };
const SOURCE = { scan: 'Bản quét tại Bộ phận một cửa', result: 'Kết quả giải quyết', owner: 'Bạn tự tải lên', registry: 'Cơ sở dữ liệu quốc gia' };

export async function render(view, ctx) {
	return ctx.route === 'du-lieu' ? data(view) : feedback(view);
}

async function data(view) {
	clear(view, h('h2', {}, 'Dữ liệu của tôi'));
	try {
		const [docs, log] = await Promise.all([get('/api/v1/citizen/documents', C), get('/api/v1/me/access-log', C)]);
		view.append(h('section', { class: 'card' }, h('h3', {}, 'Giấy tờ đã lưu'),
			h('p', { class: 'muted' }, 'Giấy tờ đã xác thực được dùng lại cho hồ sơ sau, bạn không phải nộp lại.'),
			table(null, [
				{ label: 'Giấy tờ', value: (d) => `${d.type_name}${d.number ? ` số ${d.number}` : ''}` },
				{ label: 'Nguồn', value: (d) => SOURCE[d.source] || d.source },
				{ label: 'Hiệu lực đến', value: (d) => d.valid_until ? date(d.valid_until) : '—' },
				{ label: 'Xác thực', value: (d) => d.verified ? 'Đã xác thực' : 'Chưa xác thực' },
			], docs.items, { empty: 'Chưa có giấy tờ nào được lưu.' })),
		h('section', { class: 'card' }, h('h3', {}, 'Tải toàn bộ dữ liệu'),
			h('p', { class: 'muted' }, 'Mọi dữ liệu hệ thống đang lưu về bạn (hồ sơ, giấy tờ, tin nhắn, thanh toán, đánh giá, phản ánh, ai đã xem) trong một tệp JSON.'),
			exportButton()),
		h('section', { class: 'card' }, h('h3', {}, 'Ai đã xem dữ liệu của tôi'),
			table(null, [
				{ label: 'Lúc', value: (e) => dateTime(e.at) },
				{ label: 'Cán bộ', value: (e) => `${e.actor}${e.actor_unit ? ` (${e.actor_unit})` : ''}` },
				{ label: 'Việc', value: (e) => ({ read: 'Đọc giấy tờ', list: 'Xem danh sách giấy tờ', dossier: 'Mở hồ sơ', registry: 'Tra cứu CSDL dân cư' })[e.action] || e.action },
				{ label: 'Mục đích', value: (e) => [e.purpose, e.document_type].filter(Boolean).join(' — ') },
			], log.items, { empty: 'Chưa ai xem dữ liệu của bạn.' })));
	} catch (e) {
		showError(view, e);
	}
}

// GET /api/v1/me/export, saved as a file.
function exportButton() {
	const status = h('p', { role: 'status', class: 'muted' });
	const button = h('button', { type: 'button', class: 'secondary' }, 'Tải dữ liệu của tôi (JSON)');
	button.addEventListener('click', () => busy(button, status, async () => {
		const url = await blobUrl('/api/v1/me/export', C);
		const a = h('a', { href: url, download: 'du-lieu-ca-nhan.json' });
		document.body.append(a);
		a.click();
		a.remove();
		setTimeout(() => URL.revokeObjectURL(url), 60000);
		status.textContent = 'Đã tải xong tệp dữ liệu.';
	}));
	return h('div', {}, button, status);
}

async function feedback(view) {
	const title = h('input', { name: 'title', required: true, maxlength: 200 });
	const content = h('textarea', { name: 'content', required: true, maxlength: 4000 });
	const kind = h('select', { name: 'kind' }, h('option', { value: 'reflection' }, 'Phản ánh'), h('option', { value: 'recommendation' }, 'Kiến nghị'));
	const subject = h('select', { name: 'subject' }, h('option', { value: 'procedure' }, 'Về thủ tục, giấy tờ'),
		h('option', { value: 'conduct' }, 'Về hành vi, thái độ của cán bộ'), h('option', { value: 'regulation' }, 'Về quy định hành chính'));
	const dossier = h('input', { name: 'dossier_code' });
	const go = h('button', { type: 'submit', class: 'primary' }, 'Gửi');
	const form = h('form', { class: 'card', 'aria-labelledby': 'fb-h' }, h('h2', { id: 'fb-h' }, 'Gửi phản ánh, kiến nghị'),
		field('Loại', kind), field('Nội dung về', subject), field('Tiêu đề', title), field('Nội dung', content),
		field('Mã hồ sơ liên quan (nếu có)', dossier), h('div', { class: 'actions' }, go));
	const mine = h('section', { class: 'card' }, h('h3', {}, 'Phản ánh, kiến nghị của tôi'));
	clear(view, form, mine);
	const draft = keepDraft(form, 'feedback');
	draft.restore();
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const body = { kind: kind.value, subject: subject.value, title: title.value.trim(), content: content.value.trim() };
		if (dossier.value.trim())
			body.dossier_code = dossier.value.trim();
		const r = await busy(go, form, () => post('/api/v1/citizen/feedback', body, C));
		if (!r)
			return;
		draft.forget();
		form.reset();
		announce(`Đã gửi. Mã phản ánh: ${r.code}.`);
		list(mine);
	});
	list(mine);
}

async function list(where) {
	try {
		const r = await get('/api/v1/citizen/feedback', C);
		clear(where, h('h3', {}, 'Phản ánh, kiến nghị của tôi'), table(null, [
			{ label: 'Mã', value: (f) => f.code },
			{ label: 'Tiêu đề', value: (f) => f.title },
			{ label: 'Gửi lúc', value: (f) => dateTime(f.received_at || f.created_at) },
			{ label: 'Tình trạng', value: (f) => f.status_label || f.status },
		], r.items, { empty: 'Bạn chưa gửi phản ánh, kiến nghị nào.' }));
	} catch (e) {
		showError(where, e);
	}
}
