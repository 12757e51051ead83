// kiosk.js — Lấy số thứ tự: the kiosk on the centre's floor
// (/xep-hang/?don-vi=CODE). One large button per service group; the
// number is shown large with how many are ahead, printed on request,
// and the kiosk is ready for the next visitor after 20 seconds.
import { get, post } from './api.js';
import { h, clear, busy } from './dom.js';
import { dateTime } from './fmt.js';

const view = document.getElementById('view');
const unit = new URLSearchParams(location.search).get('don-vi') || '';
const base = `/api/v1/public/queue/${encodeURIComponent(unit)}`;
let back = null;

async function groups() {
	clearTimeout(back);
	if (!unit) {
		clear(view, h('p', { class: 'error', role: 'alert' }, 'Thiếu mã đơn vị: mở trang với ?don-vi=MÃ_ĐƠN_VỊ (ví dụ ?don-vi=000.00.01.H51).'));
		return;
	}
	let b;
	try {
		b = await get(base, { auth: null });
	} catch (e) {
		clear(view, h('p', { class: 'error', role: 'alert' }, e.message));
		setTimeout(groups, 10000);
		return;
	}
	document.getElementById('unit').textContent = b.unit.name;
	if (!b.services.length) {
		clear(view, h('p', { class: 'notice' }, 'Đơn vị chưa thiết lập nhóm dịch vụ để lấy số.'));
		return;
	}
	clear(view, h('h2', {}, 'Mời ông/bà chọn lĩnh vực cần giải quyết'),
		h('div', { class: 'big-choice' }, b.services.map((s) => h('button', {
			type: 'button', class: 'primary', onclick: (ev) => take(ev.target.closest('button'), s) },
		h('span', { class: 'letter' }, s.code), ' ', s.name, h('br'),
		h('small', {}, `Đang chờ: ${s.waiting}`)))));
}

async function take(button, s) {
	const t = await busy(button, view, () => post(`${base}/tickets`, { service: s.code }, { auth: null }));
	if (!t)
		return;
	clear(view, h('section', { class: 'card ticket', 'aria-live': 'assertive' },
		h('p', {}, 'Số thứ tự của ông/bà'),
		h('p', { class: 'number', id: 'ticket-number' }, t.number),
		h('p', {}, t.service_name),
		h('p', { id: 'ahead' }, t.ahead ? `Có ${t.ahead} người đang chờ trước ông/bà.` : 'Ông/bà là người tiếp theo.'),
		h('p', { class: 'muted' }, `Lấy lúc ${dateTime(t.issued_at)}. Vui lòng theo dõi bảng gọi số.`),
		h('div', { class: 'actions no-print' },
			h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, 'In số'),
			h('button', { type: 'button', onclick: groups }, 'Xong'))));
	back = setTimeout(groups, 20000);
}

groups();
