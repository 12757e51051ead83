/*
 * report_pdf.c — a Markdown report as a Decree 30 document (see
 * report_pdf.h).
 */
#include "core/compat.h"
#include "core/mem.h"
#include "render/report_pdf.h"

#include <glib.h>

#define BODY_SIZE 13.0
#define INDENT 14.0		/* points per list level */

/* Appends s[0..n) escaped for Pango markup. */
static int escaped(struct mc_buf *out, const char *s, size_t n)
{
	gchar *e = g_markup_escape_text(s, (gssize)n);
	int rc = mc_buf_adds(out, e);

	g_free(e);
	return rc;
}

/*
 * Inline Markdown s[0..n) as Pango markup: text escaped, **bold** and
 * *italic*, tags kept nested (an emphasis closed out of order closes the
 * inner one and opens it again).
 */
static int inline_markup(const char *s, size_t n, struct mc_buf *out)
{
	char stack[8];		/* 'b' or 'i', innermost last */
	int depth = 0, rc = 0, k;
	size_t i = 0, from = 0;

	while (i < n && !rc) {
		char tag;
		size_t len;

		if (s[i] != '*') {
			i++;
			continue;
		}
		len = i + 1 < n && s[i + 1] == '*' ? 2 : 1;
		tag = len == 2 ? 'b' : 'i';
		rc = escaped(out, s + from, i - from);
		for (k = depth - 1; k >= 0 && stack[k] != tag; k--)
			;
		if (k < 0 && depth < (int)sizeof(stack)) {
			stack[depth++] = tag;
			rc = rc ? rc : mc_buf_printf(out, "<%c>", tag);
		} else if (k >= 0) {
			int j;

			for (j = depth - 1; j >= k && !rc; j--)
				rc = mc_buf_printf(out, "</%c>", stack[j]);
			for (j = k + 1; j < depth && !rc; j++) {
				stack[j - 1] = stack[j];
				rc = mc_buf_printf(out, "<%c>", stack[j]);
			}
			depth--;
		}
		i += len;
		from = i;
	}
	rc = rc ? rc : escaped(out, s + from, n - from);
	while (depth > 0 && !rc)
		rc = mc_buf_printf(out, "</%c>", stack[--depth]);
	return rc;
}

/* Whether the whole line is one bold span ("**BÁO CÁO**"). */
static bool all_bold(const char *s, size_t n)
{
	return n > 4 && !strncmp(s, "**", 2) && !strncmp(s + n - 2, "**", 2) &&
	       !memmem(s + 2, n - 4, "**", 2);
}

struct para {
	struct mc_buf text;	/* Markdown of the lines, joined */
	double indent;
	enum mc_doc_align align;
	bool open;
	bool heading;		/* aligned as it is, whatever its text */
};

/* Draws the paragraph gathered so far, if any. */
static int flush(struct mc_doc *d, struct para *p)
{
	struct mc_buf m = MC_BUF_INIT(1 << 20);
	int rc = 0;

	if (p->open && p->text.len) {
		/* A title over lines, or the period under it: centred. */
		if (!p->heading && (all_bold(p->text.buf, p->text.len) ||
		    (p->indent == 0 && p->text.buf[0] == '(' &&
		     p->text.buf[p->text.len - 1] == ')')))
			p->align = MC_DOC_CENTER;
		rc = inline_markup(p->text.buf, p->text.len, &m);
		rc = rc ? rc : mc_buf_addc(&m, '\0');
		if (!rc)
			mc_doc_markup(d, p->align, BODY_SIZE, p->indent, 4,
				      m.buf);
	}
	mc_buf_release(&m);
	p->text.len = 0;
	p->open = false;
	return rc ? MC_ETOOBIG : 0;
}

static void start(struct para *p, enum mc_doc_align align, double indent)
{
	p->open = true;
	p->heading = false;
	p->align = align;
	p->indent = indent;
	p->text.len = 0;
}

/* A chart line "![caption](chart:NAME)": NAME into 'name'. */
static bool chart_line(const char *s, size_t n, char *name, size_t size)
{
	const char *mid = memmem(s, n, "](chart:", 8);

	if (n < 12 || strncmp(s, "![", 2) || !mid || s[n - 1] != ')')
		return false;
	mid += 8;
	if ((size_t)(s + n - 1 - mid) >= size || s + n - 1 == mid)
		return false;
	memcpy(name, mid, (size_t)(s + n - 1 - mid));
	name[s + n - 1 - mid] = '\0';
	return true;
}

static int body(struct mc_doc *d, const struct mc_report_pdf *r,
		const char *s, int line, struct mc_err *err)
{
	struct para p = { MC_BUF_INIT(1 << 20), 0, MC_DOC_JUSTIFY, false,
			  false };
	int rc = 0;

	while (*s && !rc) {
		const char *eol = strchr(s, '\n'), *t = s;
		size_t n = eol ? (size_t)(eol - s) : strlen(s), lead, len;
		char name[64];

		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		for (lead = 0; lead < n && s[lead] == ' '; lead++)
			;
		t = s + lead;
		len = n - lead;
		if (!len) {
			rc = flush(d, &p);
		} else if (len > 2 && !strncmp(t, "# ", 2)) {
			rc = flush(d, &p);
			start(&p, MC_DOC_CENTER, 0);
			rc = rc ? rc : mc_buf_printf(&p.text, "**%.*s**",
						     (int)len - 2, t + 2);
			rc = rc ? rc : flush(d, &p);
		} else if (len > 1 && t[0] == '#') {
			size_t h = strspn(t, "#");

			rc = flush(d, &p);
			d->y += 4;
			start(&p, MC_DOC_LEFT_ALIGN, 0);
			p.heading = true;
			rc = rc ? rc : mc_buf_printf(&p.text, "**%.*s**",
				(int)(len - h), t + h + (t[h] == ' '));
			rc = rc ? rc : flush(d, &p);
		} else if (chart_line(t, len, name, sizeof(name))) {
			struct mc_chart *c = mc_calloc(1, sizeof(*c));

			rc = flush(d, &p);
			if (!c || !r->chart || !r->chart(name, c, r->arg))
				rc = c ? mc_err_field(err, "template",
					"unknown", "line %d: no chart called "
					"\"%s\" (docs/reports.md lists them)",
					line, name) : MC_ENOMEM;
			else
				mc_chart_draw(d, c);
			mc_free(c);
			if (rc) {
				mc_buf_release(&p.text);
				return rc;
			}
		} else if (len > 2 && (t[0] == '-' || t[0] == '+' ||
			   t[0] == '*') && t[1] == ' ') {
			rc = flush(d, &p);
			start(&p, MC_DOC_JUSTIFY, INDENT * (double)(lead / 2));
			rc = rc ? rc : mc_buf_printf(&p.text, "%s %.*s",
				t[0] == '+' ? "+" : "–", (int)len - 2, t + 2);
		} else if (all_bold(t, len)) {
			rc = flush(d, &p);
			start(&p, MC_DOC_CENTER, 0);
			rc = rc ? rc : mc_buf_add(&p.text, t, len);
			rc = rc ? rc : flush(d, &p);
		} else {
			if (!p.open)
				start(&p, MC_DOC_JUSTIFY, 0);
			else
				rc = mc_buf_addc(&p.text, ' ');
			rc = rc ? rc : mc_buf_add(&p.text, t, len);
		}
		s = eol ? eol + 1 : s + strlen(s);
		line++;
	}
	rc = rc ? rc : flush(d, &p);
	mc_buf_release(&p.text);
	return rc ? mc_error(err, rc, "the report is too large") : 0;
}

/* The lines of one column of the closing, as markup, and how drawn. */
struct column {
	char *markup[32];
	double size[32], gap[32];	/* gap: space above the line */
	int n;
	double h;
};

static void column_release(struct column *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		mc_free(c->markup[i]);
}

/*
 * The lines of s[0..n) into 'c', 'w' wide: the recipients' (the first
 * line, "Nơi nhận:", in bold 12 points, the rest in 11) or the signer's
 * (13 points, centred; a blank line leaves room to sign).
 */
static int column_read(struct mc_doc *d, const char *s, size_t n, bool sign,
		       double w, struct column *c, struct mc_err *err)
{
	const char *end = s + n;
	double gap = 0;

	memset(c, 0, sizeof(*c));
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t len = eol ? (size_t)(eol - s) : (size_t)(end - s);
		struct mc_buf m = MC_BUF_INIT(4096);
		int rc;

		while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
			len--;
		while (len && *s == ' ')
			s++, len--;
		if (len && strspn(s, "*") >= len) {
			;	/* "**{{unit.collective}}**" of no one */
		} else if (!len) {
			if (sign && c->n)
				gap = MC_MM(20);
		} else if (c->n == (int)MC_ARRAY_SIZE(c->markup)) {
			return mc_err_field(err, "template", "max", "the "
					    "closing has more than %d lines",
					    c->n);
		} else {
			bool head = !sign && c->n == 0;

			rc = head ? mc_buf_adds(&m, "<b>") : 0;
			rc = rc ? rc : inline_markup(s, len, &m);
			rc = rc ? rc : mc_buf_adds(&m, head ? "</b>" : "");
			if (rc) {
				mc_buf_release(&m);
				return mc_error(err, MC_ETOOBIG, "the report is "
						"too large");
			}
			c->markup[c->n] = mc_strdup(m.buf);
			c->size[c->n] = sign ? BODY_SIZE : head ? 12 : 11;
			c->gap[c->n] = gap;
			c->h += gap + mc_doc_measure(d, c->markup[c->n], w,
						     c->size[c->n]) + 1;
			c->n++;
			gap = 0;
		}
		mc_buf_release(&m);
		s = eol ? eol + 1 : end;
	}
	return 0;
}

static void column_draw(struct mc_doc *d, const struct column *c, double x,
			double y, double w, enum mc_doc_align align)
{
	int i;

	for (i = 0; i < c->n; i++) {
		y += c->gap[i];
		y += mc_doc_show(d, c->markup[i], x, y, w, align,
				 c->size[i]) + 1;
	}
}

/*
 * The closing of Decree 30 (Appendix I): the recipients on the left and,
 * from the line MC_REPORT_SIGN_MARK, who signs on the right, side by side
 * below the body and kept together on a page.
 */
static int closing(struct mc_doc *d, const char *s, struct mc_err *err)
{
	const char *sign = strstr(s, MC_REPORT_SIGN_MARK);
	double w = mc_doc_text_w(d), lw = w * 0.45, rw = w - lw, y;
	struct column left, right;
	int rc;

	rc = column_read(d, s, sign ? (size_t)(sign - s) : strlen(s), false,
			 lw, &left, err);
	if (!rc && sign) {
		sign += strlen(MC_REPORT_SIGN_MARK);
		rc = column_read(d, sign, strlen(sign), true, rw, &right, err);
	} else {
		memset(&right, 0, sizeof(right));
	}
	if (!rc) {
		d->y += MC_MM(4);
		mc_doc_fit(d, left.h > right.h ? left.h : right.h);
		y = d->y;
		column_draw(d, &left, MC_DOC_LEFT, y, lw, MC_DOC_LEFT_ALIGN);
		column_draw(d, &right, MC_DOC_LEFT + lw, y, rw, MC_DOC_CENTER);
		d->y = y + (left.h > right.h ? left.h : right.h);
	}
	column_release(&left);
	column_release(&right);
	return rc;
}

int mc_report_pdf(const struct mc_report_pdf *r, struct mc_buf *out,
		  struct mc_err *err)
{
	const char *mark = strstr(r->markdown, MC_REPORT_BODY_MARK), *s;
	const char *close;
	char *text;
	struct mc_doc d;
	int rc, line = 1;

	mc_doc_begin(&d, out, r->at, r->title, r->issuer);
	mc_doc_pages(&d);
	s = r->markdown;
	if (mark) {
		mc_doc_head(&d, r->governing, r->issuer, r->number, r->place,
			    r->at);
		for (; s < mark; s++)
			line += *s == '\n';
		s = mark + strlen(MC_REPORT_BODY_MARK);
		s += *s == '\n';
		line += 1;
	}
	close = strstr(s, MC_REPORT_CLOSING_MARK);
	text = close ? mc_strndup(s, (size_t)(close - s)) : NULL;
	rc = body(&d, r, text ? text : s, line, err);
	mc_free(text);
	if (!rc && close)
		rc = closing(&d, close + strlen(MC_REPORT_CLOSING_MARK), err);
	if (rc) {
		mc_doc_end(&d, NULL);
		return rc;
	}
	return mc_doc_end(&d, err);
}
