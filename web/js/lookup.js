// lookup.js — Tra cứu hồ sơ: anyone with the receipt (its QR code opens
// /tra-cuu/CODE) and the last four digits of the phone number sees where
// the dossier stands. No sign-in; the server limits tries per address.
import { get, qs } from './api.js';
import { h, clear, busy } from './dom.js';
import { dateTime, STATUS, TIMELINESS } from './fmt.js';

const form = document.getElementById('lookup');
const answer = document.getElementById('answer');
const code = form.elements.code;
const phone = form.elements.phone_last4;

const fromPath = decodeURIComponent(location.pathname.replace(/^\/tra-cuu\/?/, ''));
if (fromPath) {
	code.value = fromPath;
	phone.focus();
}

form.addEventListener('submit', async (ev) => {
	ev.preventDefault();
	const c = code.value.trim();
	if (!c || !/^\d{4}$/.test(phone.value.trim())) {
		clear(answer, h('p', { class: 'error', role: 'alert' }, !c ?
			'Mã hồ sơ: chưa nhập. Mã in ở đầu phiếu tiếp nhận.' :
			'4 số cuối điện thoại: nhập đúng 4 chữ số.'));
		(!c ? code : phone).focus();
		return;
	}
	const d = await busy(form.querySelector('button'), answer, () =>
		get(`/api/v1/public/dossiers/${encodeURIComponent(c)}${qs({ phone_last4: phone.value.trim() })}`,
			{ auth: null }).catch((e) => {
			if (e.status === 404)
				e.message = 'Không tìm thấy hồ sơ với mã và số điện thoại này. ' +
					'Kiểm tra lại mã trên phiếu tiếp nhận và 4 số cuối điện thoại.';
			throw e;
		}));
	if (!d)
		return;
	clear(answer, h('div', { class: 'card', id: 'result' },
		h('h2', { tabindex: '-1' }, `Hồ sơ ${d.code}`),
		h('dl', { class: 'facts' },
			h('dt', {}, 'Thủ tục'), h('dd', {}, d.procedure_name),
			h('dt', {}, 'Người nộp'), h('dd', {}, d.applicant_name),
			h('dt', {}, 'Tình trạng'), h('dd', { id: 'public-status' }, h('strong', {}, d.status_label || STATUS[d.status])),
			h('dt', {}, 'Ngày tiếp nhận'), h('dd', {}, dateTime(d.received_at) || 'Chưa tiếp nhận'),
			h('dt', {}, 'Hẹn trả kết quả'), h('dd', {}, dateTime(d.due_at) || '—'),
			d.finished_at ? [h('dt', {}, 'Giải quyết xong'), h('dd', {}, dateTime(d.finished_at))] : null,
			h('dt', {}, 'Tiến độ'), h('dd', {}, TIMELINESS[d.timeliness] || ''))));
	answer.querySelector('h2').focus();
});
