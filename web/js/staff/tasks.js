// tasks.js — Việc cần xử lý: the dossiers waiting for this officer, the
// nearest due first; overdue and due-soon ones marked in words and colour.
import { get } from '../api.js';
import { h, clear, table, showError } from '../dom.js';
import { dateTime } from '../fmt.js';

const URGENCY = { overdue: 'Quá hạn', due_soon: 'Sắp đến hạn', normal: 'Trong hạn' };

export async function render(view) {
	clear(view, h('h2', {}, 'Việc cần xử lý'));
	let r;
	try {
		r = await get('/api/v1/tasks');
	} catch (e) {
		showError(view, e);
		return;
	}
	const n = (u) => r.items.filter((d) => d.urgency === u).length;
	view.append(h('p', { id: 'task-summary' },
		`${r.items.length} hồ sơ: ${n('overdue')} quá hạn, ${n('due_soon')} sắp đến hạn.`),
	table(null, [
		{ label: 'Hạn xử lý', value: (d) => h('span', {},
			d.due_at ? dateTime(d.due_at) : '—', ' ',
			d.status !== 'result_ready' ? h('span', { class: `badge ${d.urgency.replace('_', '-')}` },
				URGENCY[d.urgency]) : null) },
		{ label: 'Mã hồ sơ', value: (d) => h('a', { href: `#/ho-so/${encodeURIComponent(d.code)}` }, d.code) },
		{ label: 'Người nộp', value: (d) => d.applicant_name },
		{ label: 'Thủ tục', value: (d) => d.procedure_name },
		{ label: 'Trạng thái', value: (d) => d.status_label },
		{ label: 'Người xử lý', value: (d) => d.assignee || 'Chưa giao' },
	], r.items, {
		empty: 'Không có hồ sơ nào chờ bạn xử lý.',
		rowClass: (d) => d.status === 'result_ready' ? null :
			d.urgency === 'overdue' ? 'overdue' :
			d.urgency === 'due_soon' ? 'due-soon' : null,
	}));
	const t = view.querySelector('table');
	if (t)
		t.classList.add('stack');
	if (r.more)
		view.append(h('p', { class: 'notice' }, 'Còn hồ sơ khác chưa hiện: ' +
			'xử lý bớt hoặc tìm ở mục Tra cứu hồ sơ.'));
}
