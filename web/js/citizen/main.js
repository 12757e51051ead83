// main.js — the citizen portal (Dịch vụ công), mobile first: the
// procedures without signing in; sign-in by ID number and a one-time
// code; then submitting online, one's own dossiers, paying, rating,
// feedback, and one's data store with the log of who read it.
import { post, session, setSession, whenSignedOut } from '../api.js';
import { h, clear, announce, forgetDrafts } from '../dom.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

// Routes: hash → [module, title, needs sign-in].
const ROUTES = {
	'': ['./catalog.js', 'Thủ tục hành chính', false],
	'linh-vuc': ['./catalog.js', 'Thủ tục hành chính', false],
	'thu-tuc': ['./catalog.js', 'Thủ tục hành chính', false],
	'dang-nhap': ['./signin.js', 'Đăng nhập', false],
	nop: ['./apply.js', 'Nộp hồ sơ trực tuyến', true],
	'ho-so': ['./mine.js', 'Hồ sơ của tôi', true],
	'phan-anh': ['./account.js', 'Phản ánh, kiến nghị', true],
	'du-lieu': ['./account.js', 'Dữ liệu của tôi', true],
};
const MENU = [['', 'Thủ tục'], ['ho-so', 'Hồ sơ của tôi'],
	['phan-anh', 'Phản ánh'], ['du-lieu', 'Dữ liệu của tôi']];

function header(current) {
	const s = session('citizen');
	clear(nav, h('ul', {}, MENU.map(([k, label]) => h('li', {}, h('a', {
		href: `#/${k}`, 'aria-current': k === current ? 'page' : null }, label)))));
	if (s)
		clear(who, `${s.citizen.name} `, h('button', { type: 'button', onclick: signOut }, 'Đăng xuất'));
	else
		clear(who, h('a', { href: '#/dang-nhap' }, 'Đăng nhập'));
}

async function signOut() {
	try {
		await post('/api/v1/citizen/logout', undefined, { auth: 'citizen' });
	} catch { /* ended here either way */ }
	setSession('citizen', null);
	forgetDrafts();
	announce('Đã đăng xuất.');
	location.hash = '#/';
	route();
}

export async function route() {
	const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
	const r = ROUTES[name] || ROUTES[''];
	const key = ROUTES[name] ? name : '';
	header(key === 'linh-vuc' || key === 'thu-tuc' ? '' : key);
	if (r[2] && !session('citizen')) {
		location.replace(`#/dang-nhap/${encodeURIComponent(location.hash.slice(1))}`);
		return;
	}
	document.title = `${r[1]} — Dịch vụ công trực tuyến`;
	/* A slot per screen: one still loading cannot draw over the next. */
	const slot = h('div', { class: 'screen' });
	clear(view, slot);
	try {
		const mod = await import(r[0]);
		await mod.render(slot, { route: key, params: rest.map(decodeURIComponent), citizen: session('citizen') });
	} catch (e) {
		clear(slot, h('p', { class: 'error', role: 'alert' }, e.message || String(e)));
	}
}

whenSignedOut(() => {
	announce('Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.', 'bad');
	location.hash = `#/dang-nhap/${encodeURIComponent(location.hash.slice(1))}`;
});
window.addEventListener('hashchange', route);
/* Back from VNeID's sign-in: the ticket traded first, then the page. */
import('./signin.js').then((m) => m.comeBack()).then((why) => {
	route();
	if (why)
		announce(why, 'bad');
});
