// board.js — Bảng gọi số (/bang-so/?don-vi=CODE): the number at each
// counter, the newest call flashing (and read out in Vietnamese when the
// browser has such a voice), how many wait in each group. Numbers only,
// never names. Polls every 3 seconds.
import { get } from './api.js';
import { h, clear } from './dom.js';

const view = document.getElementById('view');
const unit = new URLSearchParams(location.search).get('don-vi') || '';
const seen = new Set();
let first = true;

function say(text) {
	const synth = window.speechSynthesis;
	const voice = synth && synth.getVoices().find((v) => v.lang && v.lang.startsWith('vi'));
	if (!voice)
		return;
	const u = new SpeechSynthesisUtterance(text);
	u.voice = voice;
	u.lang = voice.lang;
	synth.speak(u);
}

async function tick() {
	if (!unit) {
		clear(view, h('p', { class: 'error', role: 'alert' }, 'Thiếu mã đơn vị: mở trang với ?don-vi=MÃ_ĐƠN_VỊ.'));
		return;
	}
	try {
		const b = await get(`/api/v1/public/queue/${encodeURIComponent(unit)}`, { auth: null });
		document.getElementById('unit').textContent = b.unit.name;
		const fresh = b.serving.filter((s) => !seen.has(`${s.number}@${s.counter}`));
		const newest = [...b.serving].sort((x, y) => Date.parse(y.called_at) - Date.parse(x.called_at))[0];
		clear(view,
			h('section', { 'aria-labelledby': 'serving-h' }, h('h2', { id: 'serving-h' }, 'Đang phục vụ'),
				b.serving.length ? h('table', { class: 'calls' },
					h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Số'), h('th', { scope: 'col' }, 'Mời đến'))),
					h('tbody', {}, b.serving.map((s) => h('tr', { class: s === newest ? 'newest' : null },
						h('td', { class: 'number' }, s.number), h('td', {}, s.counter_name || `Quầy ${s.counter}`)))))
					: h('p', { class: 'empty' }, 'Chưa có số nào được gọi.')),
			h('section', { 'aria-labelledby': 'waiting-h' }, h('h2', { id: 'waiting-h' }, 'Đang chờ'),
				h('ul', { class: 'list' }, b.services.map((s) => h('li', {},
					`${s.code} — ${s.name}: `, h('strong', {}, String(s.waiting)),
					s.next ? ` (số tiếp theo ${s.next})` : '')))));
		/* Announce what was called since the last look (not on load). */
		fresh.forEach((s) => seen.add(`${s.number}@${s.counter}`));
		if (!first)
			fresh.forEach((s) => say(`Mời số ${s.number.split('').join(' ')} đến ${s.counter_name || `quầy ${s.counter}`}`));
		first = false;
		let live = document.getElementById('called');
		if (!live) {
			live = h('p', { id: 'called', class: 'sr-only', 'aria-live': 'assertive' });
			document.body.append(live);
		}
		if (fresh.length)
			live.textContent = fresh.map((s) => `Mời số ${s.number} đến ${s.counter_name || `quầy ${s.counter}`}.`).join(' ');
	} catch (e) {
		clear(view, h('p', { class: 'error', role: 'alert' }, `${e.message} Đang thử lại…`));
	}
}

function clock() {
	const t = new Date(Date.now() + 7 * 3600 * 1000);
	document.getElementById('clock').textContent =
		`${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

tick();
clock();
setInterval(tick, 3000);
setInterval(clock, 15000);
