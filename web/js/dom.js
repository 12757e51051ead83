// dom.js — building pages without a framework: h() makes elements, the
// status region speaks to screen readers, drafts keep a form being filled
// across a dropped connection or a closed tab.

// h('button', {class: 'primary', onclick}, 'Lưu') → <button>.
export function h(tag, props, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k.startsWith('on') && typeof v === 'function')
			el.addEventListener(k.slice(2), v);
		else if (k === 'class')
			el.className = v;
		else if (k === 'dataset')
			Object.assign(el.dataset, v);
		else if (k in el && typeof v !== 'string')
			el[k] = v;
		else
			el.setAttribute(k, v === true ? '' : v);
	}
	add(el, children);
	return el;
}

function add(el, children) {
	for (const c of children) {
		if (c === undefined || c === null || c === false)
			continue;
		if (Array.isArray(c))
			add(el, c);
		else
			el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

export function clear(el, ...children) {
	el.replaceChildren();
	add(el, children);
	return el;
}

let uid = 0;

// A labelled input: <label for> + <input id>; 'hint' under it.
export function field(label, input, hint) {
	if (!input.id)
		input.id = `f${++uid}`;
	const parts = [h('label', { for: input.id }, label), input];
	if (hint) {
		const hid = `${input.id}-hint`;
		input.setAttribute('aria-describedby', hid);
		parts.push(h('small', { id: hid, class: 'hint' }, hint));
	}
	return h('div', { class: 'field' }, parts);
}

// The page's polite live region: what just happened, for everyone.
export function announce(text, kind = 'ok') {
	let el = document.getElementById('status');
	if (!el) {
		el = h('div', { id: 'status', role: 'status', 'aria-live': 'polite' });
		document.body.append(el);
	}
	el.className = `status ${kind}`;
	el.textContent = text;
	clearTimeout(announce.timer);
	if (kind === 'ok')
		announce.timer = setTimeout(() => { el.textContent = ''; el.className = 'status'; }, 6000);
}

// An error box inside 'where' (role=alert: read out at once).
export function showError(where, err) {
	let box = where.querySelector(':scope > .error');
	if (!box) {
		box = h('p', { class: 'error', role: 'alert' });
		where.prepend(box);
	}
	box.textContent = err ? (err.message || String(err)) : '';
	box.hidden = !err;
	if (err)
		box.scrollIntoView({ block: 'nearest' });
}

// Runs 'fn' with the button busy (disabled, aria-busy); errors go to
// 'where'. Returns fn's value, or undefined when it threw.
export async function busy(button, where, fn) {
	const label = button.textContent;
	button.disabled = true;
	button.setAttribute('aria-busy', 'true');
	showError(where, null);
	try {
		return await fn();
	} catch (e) {
		showError(where, e);
		return undefined;
	} finally {
		button.disabled = false;
		button.removeAttribute('aria-busy');
		button.textContent = label;
	}
}

// Signing out forgets every draft kept in this browser: on a shared
// counter PC the next person must not find an applicant's data.
export function forgetDrafts() {
	for (const k of Object.keys(localStorage))
		if (k.startsWith('motcua.draft.'))
			localStorage.removeItem(k);
}

// Keeps the named fields of 'form' in localStorage under 'key' as they
// are typed, and puts them back when the page comes again. forget()
// once the form has been sent.
export function keepDraft(form, key) {
	const k = `motcua.draft.${key}`;
	const restore = () => {
		let saved = null;
		try { saved = JSON.parse(localStorage.getItem(k) || 'null'); } catch { saved = null; }
		if (!saved)
			return false;
		for (const el of form.elements) {
			if (!el.name || !(el.name in saved))
				continue;
			if (el.type === 'checkbox')
				el.checked = saved[el.name] === true;
			else if (el.type === 'radio')
				el.checked = saved[el.name] === el.value;
			else if (el.type !== 'file')
				el.value = saved[el.name];
		}
		return true;
	};
	const save = () => {
		const data = {};
		for (const el of form.elements) {
			if (!el.name || el.type === 'file' || el.type === 'password')
				continue;
			if (el.type === 'checkbox')
				data[el.name] = el.checked;
			else if (el.type === 'radio') {
				if (el.checked)
					data[el.name] = el.value;
			} else
				data[el.name] = el.value;
		}
		localStorage.setItem(k, JSON.stringify(data));
	};
	form.addEventListener('input', save);
	form.addEventListener('change', save);
	return { restore, save, forget: () => localStorage.removeItem(k) };
}

// A small table: columns [{label, value(row) → node|text}], rows; opts
// {empty: the sentence when there are none, rowClass(row)}.
export function table(caption, columns, rows, opts = {}) {
	if (!rows.length)
		return h('p', { class: 'empty' }, opts.empty || 'Không có dữ liệu.');
	return h('div', { class: 'table-wrap' }, h('table', {},
		caption ? h('caption', {}, caption) : null,
		h('thead', {}, h('tr', {}, columns.map((c) =>
			h('th', { scope: 'col' }, c.label)))),
		h('tbody', {}, rows.map((r) => h('tr', {
			class: opts.rowClass ? opts.rowClass(r) : null },
		columns.map((c) => h('td', { 'data-label': c.label },
			c.value(r))))))));
}
