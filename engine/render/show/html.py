"""`ladder show --html`: a standalone page with the staircase SVG and the same offers as a table.

The table is there for screen readers, copying into a document and anyone who cannot see the
drawing. No external resources: the page works offline and from a file share. The markup is
also well-formed XML, so it can be checked with an XML parser.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from engine.render.show import svg as ladder_svg
from engine.render.show import text as lt
from engine.show.view import LadderView
from engine.text.messages import t

STYLE = """
body { font-family: Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif; color: #1b2a3a;
       margin: 2rem auto; max-width: 1200px; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
.figure svg { width: 100%; height: auto; border: 1px solid #d5dde7; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; font-size: 0.95rem; }
caption { text-align: left; font-weight: bold; padding: 0.4rem 0; }
th, td { border-bottom: 1px solid #d5dde7; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th[scope=rowgroup] { background: #eef3f8; }
td.num { text-align: right; white-space: nowrap; }
tr.not-valid td { color: #6b7686; }
.local { color: #1f6fb4; font-weight: bold; }
.external { color: #b5530a; font-weight: bold; }
.notes { color: #55637a; font-size: 0.9rem; }
""".strip()


def _cell(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(text)}</td>"


def _table(view: LadderView, lang: str) -> list[str]:
    validity = any(not o.valid for o in view.offers)  # a column of "valid" on every row says nothing
    columns = [t("out.offer", lang), t("show.id_col", lang), t("out.annual_cost", lang), t("show.price_year_col", lang),
               t("show.places", lang), t("show.local_external", lang), t("show.provider", lang),
               t("out.legal_basis", lang), *([t("show.validity", lang)] if validity else [])]
    out = ["<table>",
           f"<caption>{escape(t('show.table_caption', lang, ladder=view.name, date=view.date.isoformat()))}"
           "</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{escape(c)}</th>' for c in columns) + "</tr></thead>"]
    for rung in reversed(view.rungs):
        out.append("<tbody>")
        heading = f"{t('show.rung', lang, n=rung.number)}: {rung.name}"
        out.append(f'<tr><th scope="rowgroup" colspan="{len(columns)}">{escape(heading)}</th></tr>')
        if not rung.offers:
            out.append(f'<tr><td colspan="{len(columns)}"><em>{escape(t("show.no_offers", lang))}</em></td></tr>')
        for offer in rung.offers:
            row_class = "" if offer.valid else ' class="not-valid"'
            out.append(
                f"<tr{row_class}>" + _cell(offer.name) + f'<td class="id"><code>{escape(offer.id)}</code></td>'
                + _cell(lt.tariff_text(offer, lang), "num")
                + _cell(str(offer.price_year), "num") + _cell(lt.capacity_text(offer.capacity, view, lang))
                + _cell(lt.place_text(offer, lang), "local" if offer.local else "external")
                + _cell(lt.provider_text(offer, lang)) + _cell(offer.legal_basis)
                + (_cell(lt.validity_text(offer, lang) or t("show.valid_yes", lang)) if validity else "") + "</tr>")
        out.append("</tbody>")
    out.append("</table>")
    return out


def render(views: list[LadderView], lang: str) -> str:
    title = t("show.page_title", lang, names=", ".join(v.name for v in views))
    out = ["<!DOCTYPE html>", f'<html lang="{lang}" xmlns="http://www.w3.org/1999/xhtml">', "<head>",
           '<meta charset="utf-8"/>', '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
           f"<title>{escape(title)}</title>", f"<style>\n{STYLE}\n</style>", "</head>", "<body>"]
    for view in views:
        out.append(f'<section id="{view.id}">')
        out.append(f"<h1>{escape(view.name)}</h1>")
        out.append(f"<p>{escape(lt.subtitle(view, lang))}. {escape(lt.basis_text(view, lang))}</p>")
        out.append('<div class="figure">')
        # The h1 and the paragraph above say the title, date and legal basis: the drawing does not repeat them.
        out.append(ladder_svg.svg_element([view], lang, heading=False).rstrip("\n"))
        out.append("</div>")
        out.extend(_table(view, lang))
        out.append('<div class="notes">')
        out.extend(f"<p>{escape(note)}</p>" for note in lt.notes(view, lang))
        out.append("</div>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
