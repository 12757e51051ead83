// main.js — the officers' application: sign-in, the menu their role
// needs, and a hash router (#/tiep-nhan, #/xu-ly, #/ho-so/CODE, …) that
// loads each screen's module only when it is opened.
import { api, post, session, setSession, whenSignedOut } from '../api.js';
import { h, clear, field, busy, announce, forgetDrafts } from '../dom.js';
import { ROLE } from '../fmt.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

// Screens: hash → [module, title, roles that see it in the menu].
const SCREENS = {
	'tiep-nhan': ['./counter.js', 'Tiếp nhận', ['counter_officer']],
	'xu-ly': ['./tasks.js', 'Việc cần xử lý', ['specialist', 'leader']],
	'ho-so': ['./dossiers.js', 'Tra cứu hồ sơ', ['counter_officer',
		'specialist', 'leader', 'control_officer', 'admin']],
	'danh-gia': ['./rating.js', 'Đánh giá tại quầy', ['counter_officer']],
	'dieu-hanh': ['./leaders.js', 'Điều hành', ['leader', 'control_officer',
		'admin']],
	'quan-tri': ['./admin.js', 'Quản trị', ['control_officer', 'admin']],
};

function home(user) {
	if (user.role === 'counter_officer')
		return 'tiep-nhan';
	if (user.role === 'specialist' || user.role === 'leader')
		return 'xu-ly';
	if (user.role === 'control_officer' || user.role === 'admin')
		return 'dieu-hanh';
	return 'ho-so';
}

function signIn() {
	nav.hidden = true;
	clear(who);
	const user = h('input', { name: 'username', autocomplete: 'username',
		required: true, autocapitalize: 'off', spellcheck: false });
	const pass = h('input', { name: 'password', type: 'password',
		autocomplete: 'current-password', required: true });
	const button = h('button', { class: 'primary', type: 'submit' },
		'Đăng nhập');
	const form = h('form', { class: 'card login', 'aria-labelledby': 'login-h' },
		h('h2', { id: 'login-h' }, 'Đăng nhập'),
		field('Tên đăng nhập', user), field('Mật khẩu', pass),
		h('div', { class: 'actions' }, button));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const r = await busy(button, form, () => post('/api/v1/auth/login',
			{ username: user.value.trim(), password: pass.value },
			{ auth: null }));
		if (!r)
			return;
		setSession('staff', { token: r.token, expires_at: r.expires_at,
			user: r.user });
		pass.value = '';
		route();
	});
	clear(view, form);
	document.title = 'Đăng nhập — Hệ thống một cửa';
	user.focus();
}

async function signOut() {
	try {
		await post('/api/v1/auth/logout');
	} catch { /* the session ends here either way */ }
	setSession('staff', null);
	forgetDrafts();
	location.hash = '';
	signIn();
}

function menu(user, current) {
	const items = Object.entries(SCREENS)
		.filter(([, s]) => s[2].includes(user.role))
		.map(([k, s]) => h('li', {}, h('a', { href: `#/${k}`,
			'aria-current': k === current ? 'page' : null }, s[1])));
	clear(nav, h('ul', {}, items));
	nav.hidden = false;
	clear(who, `${user.full_name} — ${ROLE[user.role] || user.role}, `
		+ `${user.unit_name} `, h('button', { type: 'button',
		onclick: signOut }, 'Đăng xuất'));
}

async function route() {
	const s = session('staff');
	if (!s)
		return signIn();
	const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
	const key = SCREENS[name] ? name : home(s.user);
	if (!SCREENS[name] && name) {
		location.replace(`#/${key}`);
		return undefined;
	}
	menu(s.user, key);
	/*
	 * Each screen draws into a slot of its own: one still loading when
	 * the officer has gone on draws into a slot no longer shown.
	 */
	const slot = h('div', { class: 'screen' }, h('p', { class: 'muted' }, 'Đang tải…'));
	clear(view, slot);
	document.title = `${SCREENS[key][1]} — Hệ thống một cửa`;
	try {
		const mod = await import(SCREENS[key][0]);
		await mod.render(slot, { user: s.user, params: rest.map(decodeURIComponent) });
	} catch (e) {
		clear(slot, h('p', { class: 'error', role: 'alert' }, e.message ||
			String(e)));
	}
	return undefined;
}

whenSignedOut(() => {
	announce('Phiên làm việc đã hết. Vui lòng đăng nhập lại.', 'bad');
	signIn();
});
window.addEventListener('hashchange', route);

// The session still good? (A token revoked elsewhere is found here.)
(async () => {
	if (session('staff')) {
		try {
			const me = await api('GET', '/api/v1/auth/me');
			const s = session('staff');
			if (s && me)
				setSession('staff', { ...s, user: me.user || me });
		} catch { /* whenSignedOut has shown the sign-in */ }
	}
	route();
})();
