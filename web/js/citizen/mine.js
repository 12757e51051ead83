// mine.js — Hồ sơ của tôi: the citizen's dossiers and where each stands;
// one dossier with what to do next: pay by VietQR, answer a supplement
// request, rate the service once the result is out.
import { get, post, blobUrl } from '../api.js';
import { h, clear, field, busy, table, showError, announce } from '../dom.js';
import { dateTime, money, TIMELINESS, RATING } from '../fmt.js';

const C = { auth: 'citizen' };

export async function render(view, ctx) {
	if (ctx.params[0])
		return one(view, ctx.params[0]);
	let r;
	try {
		r = await get('/api/v1/citizen/dossiers', C);
	} catch (e) {
		clear(view);
		showError(view, e);
		return undefined;
	}
	clear(view, h('h2', {}, 'Hồ sơ của tôi'),
		r.items.length ? h('ul', { class: 'list cards' }, r.items.map((d) => h('li', { class: 'card' },
			h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, h('strong', {}, d.procedure_name)), h('br'),
			h('span', { class: 'code' }, d.code), h('br'),
			h('span', {}, d.status_label), d.due_at ? ` · hẹn trả ${dateTime(d.due_at)}` : ''))) :
			h('p', { class: 'empty' }, 'Bạn chưa có hồ sơ nào. ', h('a', { href: '#/' }, 'Tìm thủ tục để nộp.')));
	return undefined;
}

async function one(view, code) {
	const path = `/api/v1/citizen/dossiers/${encodeURIComponent(code)}`;
	let d;
	try {
		d = await get(path, C);
	} catch (e) {
		clear(view, h('h2', {}, `Hồ sơ ${code}`));
		showError(view, e);
		return;
	}
	const box = h('article', { class: 'card' },
		h('h2', { tabindex: '-1', id: 'mine-h' }, d.procedure_name),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Mã hồ sơ'), h('dd', { class: 'code' }, d.code),
			h('dt', {}, 'Tình trạng'), h('dd', { id: 'mine-status' }, h('strong', {}, d.status_label)),
			h('dt', {}, 'Tiếp nhận'), h('dd', {}, dateTime(d.received_at) || 'Đang chờ Bộ phận một cửa kiểm tra'),
			h('dt', {}, 'Hẹn trả kết quả'), h('dd', {}, dateTime(d.due_at) || '—'),
			d.finished_at ? [h('dt', {}, 'Giải quyết xong'), h('dd', {}, dateTime(d.finished_at))] : null,
			h('dt', {}, 'Tiến độ'), h('dd', {}, TIMELINESS[d.timeliness] || ''),
			d.reason ? [h('dt', {}, 'Lý do'), h('dd', {}, d.reason)] : null),
		d.components ? [h('h3', {}, 'Thành phần hồ sơ'), table(null, [
			{ label: 'Giấy tờ', value: (c) => c.name },
			{ label: 'Đã nộp', value: (c) => c.provided ? 'Có' : (c.required ? 'Chưa — cần bổ sung' : 'Không') },
		], d.components)] : null);
	const next = h('div', {});
	clear(view, box, next, h('p', {}, h('a', { href: '#/ho-so' }, '← Tất cả hồ sơ của tôi')));
	view.querySelector('#mine-h').focus();
	if (d.status === 'awaiting_supplement')
		next.append(supplement(d, () => one(view, code)));
	pay(next, d);
	if (d.status === 'returned' || d.status === 'result_ready')
		next.append(rate(d));
}

async function pay(where, d) {
	let f;
	try {
		f = await get(`/api/v1/citizen/dossiers/${encodeURIComponent(d.code)}/fees`, C);
	} catch {
		return;
	}
	if (!f.total)
		return;
	const box = h('section', { class: 'card', 'aria-labelledby': 'pay-h' }, h('h3', { id: 'pay-h' }, 'Phí, lệ phí'),
		h('p', {}, `Tổng cộng ${money(f.total)} (${f.total_words}). Đã nộp ${money(f.paid)}.`));
	where.prepend(box);
	if (!f.outstanding) {
		box.append(h('p', { class: 'success' }, 'Đã nộp đủ.'));
		return;
	}
	box.append(h('p', {}, h('strong', {}, `Còn phải nộp: ${money(f.outstanding)}`)));
	if (!f.payment) {
		box.append(h('p', { class: 'notice' }, 'Nộp tại Bộ phận một cửa khi nhận kết quả.'));
		return;
	}
	const img = h('img', { class: 'qr', alt: `Mã VietQR: chuyển ${money(f.outstanding)} vào tài khoản ${f.payment.account}, nội dung ${f.payment.purpose}` });
	box.append(h('figure', {}, img, h('figcaption', {},
		`Mở ứng dụng ngân hàng, quét mã. Hoặc chuyển khoản: ${f.payment.account_name}, số tài khoản ${f.payment.account}, nội dung ${f.payment.purpose}.`)));
	try {
		img.src = await blobUrl(`/api/v1/citizen/dossiers/${encodeURIComponent(d.code)}/payment-qr.svg`, C);
	} catch (e) {
		showError(box, e);
	}
}

function supplement(d, reload) {
	const note = h('textarea', { name: 'note', required: true, maxlength: 1000 });
	const go = h('button', { type: 'submit', class: 'primary' }, 'Gửi bổ sung');
	const form = h('form', { class: 'card notice', 'aria-labelledby': 'sup-h' },
		h('h3', { id: 'sup-h' }, 'Hồ sơ cần bổ sung'),
		field('Bạn đã bổ sung những gì?', note, 'Ghi rõ giấy tờ đã nộp thêm; mang bản giấy đến Bộ phận một cửa nếu được yêu cầu.'),
		h('div', { class: 'actions' }, go));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const r = await busy(go, form, () => post(`/api/v1/citizen/dossiers/${encodeURIComponent(d.code)}/supplement`, { note: note.value.trim() }, C));
		if (r) {
			announce('Đã gửi bổ sung.');
			reload();
		}
	});
	return form;
}

function rate(d) {
	const box = h('section', { class: 'card', 'aria-labelledby': 'rate-h' },
		h('h3', { id: 'rate-h' }, 'Bạn có hài lòng với việc giải quyết hồ sơ?'));
	const out = h('p', { 'aria-live': 'polite' });
	box.append(h('div', { class: 'big-choice' }, Object.entries(RATING).map(([k, v]) =>
		h('button', { type: 'button', onclick: (ev) => busy(ev.target, box, async () => {
			await post(`/api/v1/citizen/dossiers/${encodeURIComponent(d.code)}/rating`, { level: k }, C);
			out.textContent = `Cảm ơn bạn đã đánh giá: ${v}. Bạn có thể đổi đánh giá trong thời gian cho phép.`;
		}) }, v))), out);
	return box;
}
