// rating.js — Đánh giá tại quầy: the tablet turned to the citizen. One
// press of three big buttons rates the dossier just handed over (what
// the citizen is rating is said first); what was not good may be named.
import { get, post } from '../api.js';
import { h, clear, field, busy, showError } from '../dom.js';
import { RATING } from '../fmt.js';

const CRITERIA = {
	time: 'Thời gian giải quyết', attitude: 'Thái độ phục vụ',
	guidance: 'Hướng dẫn của cán bộ', procedure: 'Thủ tục, giấy tờ',
	facilities: 'Cơ sở vật chất',
};

export async function render(view, ctx) {
	const code = ctx.params[0] || '';
	if (code === 'luot')
		return visit(view, ctx);
	if (!code)
		return ask(view);
	const box = h('section', { class: 'card', 'aria-labelledby': 'rate-h' },
		h('h2', { id: 'rate-h' }, 'Ông/bà có hài lòng với việc giải quyết hồ sơ?'),
		h('p', {}, 'Hồ sơ ', h('strong', { class: 'code' }, code)));
	const choices = h('div', { class: 'big-choice' }, Object.entries(RATING).map(([k, v]) =>
		h('button', { type: 'button', class: k === 'not_satisfied' ? 'danger' : 'primary',
			onclick: (ev) => rate(ev.target, k) }, v)));
	box.append(choices);
	clear(view, box);
	choices.querySelector('button').focus();

	async function rate(button, level) {
		if (level === 'not_satisfied')
			return why();
		return send(button, { level });
	}

	function why() {
		const boxes = Object.entries(CRITERIA).map(([k, v]) => h('label', { class: 'check' },
			h('input', { type: 'checkbox', name: 'criteria', value: k }), h('span', {}, v)));
		const comment = h('textarea', { name: 'comment', maxlength: 1000 });
		const ok = h('button', { type: 'submit', class: 'primary' }, 'Gửi đánh giá');
		const form = h('form', {}, h('fieldset', {}, h('legend', {}, 'Ông/bà chưa hài lòng về điều gì?'), boxes),
			field('Ý kiến thêm (nếu có)', comment), h('div', { class: 'actions' }, ok));
		form.addEventListener('submit', (ev) => {
			ev.preventDefault();
			const criteria = [...form.querySelectorAll('input[name=criteria]:checked')].map((i) => i.value);
			const body = { level: 'not_satisfied' };
			if (criteria.length)
				body.criteria = criteria;
			if (comment.value.trim())
				body.comment = comment.value.trim();
			send(ok, body);
		});
		clear(choices, form);
		form.querySelector('input').focus();
	}

	async function send(button, body) {
		const r = await busy(button, box, () => post(`/api/v1/dossiers/${encodeURIComponent(code)}/rating`, body));
		if (!r)
			return;
		clear(box, h('h2', { tabindex: '-1', id: 'thanks' }, 'Cảm ơn ông/bà đã đánh giá!'),
			h('p', {}, `Đã ghi nhận: ${RATING[r.level]}.`),
			h('p', {}, h('a', { href: '#/danh-gia' }, 'Đánh giá hồ sơ khác')));
		box.querySelector('#thanks').focus();
	}
	return undefined;
}

/*
 * The visit at this counter (the number it is serving, from the board):
 * one press rates it (POST /api/v1/queue/tickets/{id}/rating).
 */
async function visit(view, ctx) {
	const counter = Number(localStorage.getItem('motcua.counter') || 0);
	let b;
	try {
		b = await get(`/api/v1/public/queue/${encodeURIComponent(ctx.user.unit_code)}`, { auth: null });
	} catch (e) {
		clear(view);
		showError(view, e);
		return;
	}
	const t = b.serving.find((s) => s.counter === counter);
	if (!t) {
		clear(view, h('p', { class: 'notice' }, 'Quầy này chưa gọi số nào. Gọi số ở màn hình Tiếp nhận trước.'),
			h('p', {}, h('a', { href: '#/danh-gia' }, 'Đánh giá theo mã hồ sơ')));
		return;
	}
	const box = h('section', { class: 'card', 'aria-labelledby': 'visit-h' },
		h('h2', { id: 'visit-h' }, 'Ông/bà có hài lòng với việc phục vụ?'),
		h('p', {}, 'Lượt phục vụ số ', h('strong', {}, t.number), ` tại ${t.counter_name}`));
	box.append(h('div', { class: 'big-choice' }, Object.entries(RATING).map(([k, v]) =>
		h('button', { type: 'button', class: k === 'not_satisfied' ? 'danger' : 'primary',
			onclick: async (ev) => {
				const r = await busy(ev.target, box, () => post(`/api/v1/queue/tickets/${t.id}/rating`, { level: k }));
				if (r) {
					clear(box, h('h2', { tabindex: '-1', id: 'thanks' }, 'Cảm ơn ông/bà đã đánh giá!'),
						h('p', {}, `Đã ghi nhận: ${RATING[k]}.`));
					box.querySelector('#thanks').focus();
				}
			} }, v))));
	clear(view, box);
}

function ask(view) {
	const code = h('input', { name: 'code', autocomplete: 'off' });
	const go = h('button', { type: 'submit', class: 'primary' }, 'Mời đánh giá');
	const form = h('form', { class: 'card' }, h('h2', {}, 'Đánh giá tại quầy'),
		h('p', {}, h('a', { class: 'button', href: '#/danh-gia/luot' }, 'Đánh giá lượt phục vụ đang diễn ra')),
		field('Hoặc mã hồ sơ vừa trả kết quả', code), h('div', { class: 'actions' }, go));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		if (!code.value.trim()) {
			showError(form, new Error('Mã hồ sơ: chưa nhập (bắt buộc).'));
			return;
		}
		location.hash = `#/danh-gia/${encodeURIComponent(code.value.trim())}`;
	});
	clear(view, form);
	code.focus();
}
