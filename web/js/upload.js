// upload.js — a file sent to motcua's tus 1.0 endpoint in pieces, with
// progress, resuming where the server says it stands after a dropped
// connection. Resolves to the stored file's SHA-256.
import { session, ApiError, explain } from './api.js';

const CHUNK = 512 * 1024;	/* under the server's max_body */

async function tus(method, url, headers, body, kind) {
	const s = session(kind);
	const h = { 'Tus-Resumable': '1.0.0', ...headers };
	if (s && s.token)
		h.Authorization = `Bearer ${s.token}`;
	let res;
	try {
		res = await fetch(url, { method, headers: h, body });
	} catch {
		throw new ApiError(0, null, explain(0, null));
	}
	if (!res.ok) {
		let p = null;
		try { p = await res.json(); } catch { p = null; }
		const e = new ApiError(res.status, p, res.status === 415 ?
			'Chỉ nhận tệp PDF, JPEG hoặc PNG.' : explain(res.status, p));
		e.offset = res.headers.get('Upload-Offset');
		throw e;
	}
	return res;
}

// Sends 'file'; progress(sent, total) after each piece.
export async function upload(file, progress = () => {}, kind = 'staff') {
	const meta = `filename ${btoa(String.fromCharCode(
		...new TextEncoder().encode(file.name || 'tep')))}`;
	const created = await tus('POST', '/api/v1/uploads', {
		'Upload-Length': String(file.size), 'Upload-Metadata': meta,
	}, undefined, kind);
	const url = created.headers.get('Location');
	let offset = 0, sha = null, tries = 0;
	progress(0, file.size);
	while (offset < file.size) {
		try {
			const res = await tus('PATCH', url, {
				'Upload-Offset': String(offset),
				'Content-Type': 'application/offset+octet-stream',
			}, file.slice(offset, offset + CHUNK), kind);
			offset = Number(res.headers.get('Upload-Offset'));
			sha = res.headers.get('Upload-Sha256') || sha;
			tries = 0;
			progress(offset, file.size);
		} catch (e) {
			/* The connection dropped, or the offset moved: ask where. */
			if (++tries > 5 || (e.status && e.status !== 409 && e.status < 500))
				throw e;
			await new Promise((r) => setTimeout(r, 1000 * tries));
			const head = await tus('HEAD', url, {}, undefined, kind);
			offset = Number(head.headers.get('Upload-Offset'));
		}
	}
	if (!sha) {	/* the last answer was lost: the upload says */
		const res = await tus('GET', url, {}, undefined, kind);
		sha = (await res.json()).sha256;
	}
	return sha;
}
