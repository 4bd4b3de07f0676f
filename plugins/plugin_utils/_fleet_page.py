# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""index.html of the fleet report: the fleet at a glance, on one page that needs nothing else.

PRIVATE to the amove.click collection: its interface may change in any release.

One file, with its style and its script inline, that asks no network: it opens
from a file share, a CI artifact or an AWX host alike. The page reads without
its script (every cell is written here, details open through the URL's
fragment); the script only filters and searches the rows.
"""

from __future__ import annotations

from html import escape

from ansible_collections.amove.click.plugins.plugin_utils._fleet_report import (
    NOT_READ,
    SETTINGS,
    STATE_WORDS,
    change_words,
    setting_words,
    size_words,
)

# The settings' column heads in a desktop's details, short enough for twelve columns on a laptop's screen.
DETAIL_HEADS = {'drive_letter': 'Letter', 'max_cache_size': 'Cache size', 'cache_encrypted': 'Encrypted',
                'rotational_cache': 'Rotational', 'sync_interval': 'Sync every', 'active': 'Active'}

# Health as a shape and a colour, so that it reads without colours too.
HEALTH_MARKS = {'good': '\u25cf', 'warning': '\u25b2', 'bad': '\u2716', 'unknown': '\u25cb'}

STYLE = '''
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2328;background:#f6f8fa}
header{padding:16px 24px 8px;background:#fff;border-bottom:1px solid #d0d7de}
h1{margin:0 0 4px;font-size:22px}
.meta{margin:0 0 12px;color:#57606a}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}
.count{min-width:96px;padding:6px 12px;border:1px solid #d0d7de;border-radius:8px;background:#fff}
.count b{display:block;font-size:22px;line-height:1.1}
.counts .gap{width:12px}
.count.s-in_sync b{color:#1a7f37}.count.s-drift b{color:#9a6700}.count.s-unhealthy b{color:#cf222e}.count.s-failed b{color:#8250df}
.count.zero b{color:#8c959f}
.account{margin:12px 0 4px;padding:8px 12px;border-radius:8px;border:1px solid #d0d7de;background:#fff}
.account ul{margin:4px 0 0;padding-left:20px}
.tools{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:10px 24px;background:#fff;border-bottom:1px solid #d0d7de}
.tools button{font:inherit;padding:4px 10px;border:1px solid #d0d7de;border-radius:16px;background:#f6f8fa;cursor:pointer}
.tools button[aria-pressed=true]{background:#0969da;border-color:#0969da;color:#fff}
.tools input{font:inherit;padding:4px 8px;border:1px solid #d0d7de;border-radius:6px;min-width:220px}
.legend{margin-left:auto;color:#57606a;font-size:12px}
.legend span{margin-left:10px;white-space:nowrap}
main{padding:12px 24px 24px}
.scroll{overflow:auto;max-height:calc(100vh - 60px);border:1px solid #d0d7de;border-radius:8px;background:#fff}
table.grid{border-collapse:separate;border-spacing:0;font-size:13px;min-width:100%}
.grid th,.grid td{padding:3px 8px;border-bottom:1px solid #eaeef2;border-right:1px solid #eaeef2;white-space:nowrap;text-align:left}
.grid thead th{position:sticky;top:0;z-index:2;background:#f6f8fa;font-weight:600;vertical-align:bottom}
.grid thead th.drive span{display:inline-block;max-width:10em;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom}
.grid .desk{position:sticky;left:0;z-index:1;background:#fff;font-weight:600}
.grid thead .desk{z-index:3;background:#f6f8fa}
.grid tbody tr:hover td,.grid tbody tr:hover th{background:#f3f6fb}
.grid a{color:#0969da;text-decoration:none}.grid a:hover{text-decoration:underline}
tr.s-drift .desk{box-shadow:inset 4px 0 #d4a72c}tr.s-unhealthy .desk{box-shadow:inset 4px 0 #cf222e}
tr.s-failed .desk,tr.s-unreachable .desk,tr.s-not_run .desk{box-shadow:inset 4px 0 #8250df}
.badge{display:inline-block;white-space:nowrap;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;border:1px solid transparent}
.badge.s-in_sync{background:#dafbe1;color:#1a7f37}.badge.s-drift,.badge.s-missing{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.badge.s-unhealthy{background:#ffebe9;color:#a40e26}.badge.s-failed,.badge.s-unreachable,.badge.s-not_run{background:#fbefff;color:#6639ba}
.badge.s-unlisted{background:#eaeef2;color:#57606a}
td.cell{font-variant-numeric:tabular-nums}
td.s-in_sync{background:#f0fff4}td.s-drift{background:#fff8c5;font-weight:600}td.s-missing{background:#ffefc6;font-weight:600;color:#7d4e00}
td.s-unhealthy{background:#ffebe9}td.s-unlisted{color:#57606a}td.s-not_read{background:#fbefff;color:#6639ba;white-space:normal}
.h{margin-left:6px}.h-good{color:#1a7f37}.h-warning{color:#9a6700}.h-bad{color:#cf222e;font-weight:700}.h-unknown{color:#8c959f}
.details{display:none}
.details:target{display:flex;position:fixed;inset:0;z-index:10;background:rgba(31,35,40,.45);align-items:flex-start;
  justify-content:center;overflow:auto;padding:40px 16px}
.panel{position:relative;overflow-x:auto;background:#fff;border-radius:10px;padding:16px 20px;max-width:1100px;width:100%;box-shadow:0 8px 24px rgba(0,0,0,.25)}
.panel h2{margin:0 32px 8px 0;font-size:18px}
.panel .close{position:absolute;right:14px;top:10px;font-size:20px;color:#57606a;text-decoration:none}
.panel table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
.panel th,.panel td{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top;white-space:nowrap}
.panel th{background:#f6f8fa}
.panel ul.drift{margin:4px 0 8px;padding-left:20px;color:#7d4e00}
.panel .message{padding:8px 12px;border-radius:6px;background:#fbefff;color:#6639ba;white-space:pre-wrap}
.muted{color:#57606a}
.empty{padding:24px;color:#57606a}
'''

SCRIPT = '''
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.grid tbody tr'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.tools button[data-filter]'));
  var search = document.getElementById('search');
  var shown = document.getElementById('shown');
  var filter = 'all';
  function apply() {
    var query = search.value.trim().toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var tags = row.getAttribute('data-filter').split(' ');
      var visible = (filter === 'all' || tags.indexOf(filter) >= 0) &&
        (!query || row.getAttribute('data-name').toLowerCase().indexOf(query) >= 0);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count;
  }
  buttons.forEach(function (button) {
    button.addEventListener('click', function () {
      filter = button.getAttribute('data-filter');
      buttons.forEach(function (other) { other.setAttribute('aria-pressed', String(other === button)); });
      apply();
    });
  });
  search.addEventListener('input', apply);
  rows.forEach(function (row) {
    row.addEventListener('click', function (event) {
      if (event.target.tagName !== 'A') { location.hash = row.getAttribute('data-details'); }
    });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && location.hash) { location.hash = 'top'; }
  });
  apply();
}());
'''


def _e(value):
    return escape('' if value is None else str(value), quote=True)


def _health_mark(health):
    """The health's shape; its words are in the cell's title (kept out of good cells: 500 desktops make a big page)."""
    return '<i class="h h-%s">%s</i>' % (health['state'], HEALTH_MARKS[health['state']])


def _cell_text(drive):
    if drive['state'] == 'missing':
        return 'not yet' if drive['missing_reason'].startswith('not in the account') else 'missing'
    if drive['drift']:
        item = drive['drift'][0]
        text = '%s \u2192 %s' % (setting_words(item['setting'], item['current']), setting_words(item['setting'], item['wanted']))
        return text + (' +%d' % (len(drive['drift']) - 1) if len(drive['drift']) > 1 else '')
    letter = (drive['settings'] or {}).get('drive_letter')
    return '%s:' % letter if letter else '\u2713'


def _cell_title(desktop, drive):
    if drive['state'] == 'in_sync' and drive['health']['state'] == 'good':
        return None
    parts = ['%s on %s: %s, health %s' % (drive['name'], desktop['name'], STATE_WORDS[drive['state']], STATE_WORDS[drive['health']['state']])]
    if drive['missing_reason']:
        parts.append(drive['missing_reason'])
    parts += [change_words(item) for item in drive['drift']]
    parts += drive['health']['problems'] + drive['health']['warnings']
    return '; '.join(parts)


def _row(number, desktop, listed):
    drives = dict((drive['name'], drive) for drive in desktop['drives'] if drive['listed'])
    others = [drive for drive in desktop['drives'] if not drive['listed']]
    tags = [desktop['state']] + (['not_read'] if desktop['state'] in NOT_READ else [])
    if any(drive['health']['state'] == 'bad' for drive in desktop['drives']) and 'unhealthy' not in tags:
        tags.append('unhealthy')
    cells = ['<th class="desk" scope="row"><a href="#d%d">%s</a></th>' % (number, _e(desktop['name'])),
             '<td><span class="badge s-%s">%s</span></td>' % (desktop['state'], STATE_WORDS[desktop['state']])]
    if desktop['state'] in NOT_READ:
        message = desktop['message'] or ''
        cells.append('<td class="cell s-not_read" colspan="%d" title="%s">%s</td>' % (
            len(listed) + 1, _e(message), _e(message if len(message) <= 140 else message[:137] + '...')))
    else:
        for name in listed:
            drive = drives.get(name)
            if drive is None:
                cells.append('<td class="cell muted">\u2014</td>')
                continue
            title = _cell_title(desktop, drive)
            cells.append('<td class="cell s-%s"%s>%s%s</td>' % (
                drive['state'], ' title="%s"' % _e(title) if title else '', _e(_cell_text(drive)),
                _health_mark(drive['health']) if drive['present'] else ''))
        if others:
            worst = min((drive['health'] for drive in others), key=lambda health: ('bad', 'warning', 'good', 'unknown').index(health['state']))
            cells.append('<td class="cell s-unlisted" title="%s">%d%s</td>' % (
                _e(', '.join(str(drive['name']) for drive in others)), len(others), _health_mark(worst)))
        else:
            cells.append('<td class="cell muted">\u2014</td>')
    return '<tr class="s-%s" data-filter="%s" data-name="%s" data-details="d%d">%s</tr>' % (
        desktop['state'], ' '.join(tags), _e(desktop['name']), number, ''.join(cells))


def _value(option, settings):
    return _e(setting_words(option, (settings or {}).get(option))) if settings else ''


def _details(number, desktop):
    lines = ['<section class="details" id="d%d" aria-labelledby="d%d-title"><div class="panel">' % (number, number),
             '<a class="close" href="#top" aria-label="Close">\u2715</a>',
             '<h2 id="d%d-title">%s <span class="badge s-%s">%s</span></h2>' % (
                 number, _e(desktop['name']), desktop['state'], STATE_WORDS[desktop['state']])]
    facts = []
    if desktop['agent_status']:
        facts.append('agent %s' % desktop['agent_status'])
    if desktop['summary']:
        facts.append(desktop['summary'])
    if facts:
        lines.append('<p class="muted">%s</p>' % _e(' \u00b7 '.join(facts)))
    if desktop['message']:
        lines.append('<p class="message">%s</p>' % _e(desktop['message']))
    if desktop['drift']:
        lines.append('<h3>What provision would change</h3><ul class="drift">%s</ul>' % ''.join(
            '<li>%s</li>' % _e(item) for item in desktop['drift']))
    if desktop['drives']:
        head = ['Drive', 'State'] + [DETAIL_HEADS[option] for option, _words in SETTINGS]
        head += ['Cache used', 'Health', 'Files', 'Status']
        lines.append('<table><thead><tr>%s</tr></thead><tbody>' % ''.join('<th>%s</th>' % _e(cell) for cell in head))
        for drive in desktop['drives']:
            report = drive['health']['report'] or {}
            reasons = drive['health']['problems'] + drive['health']['warnings']
            files = '%s, %s in error' % (report.get('total_files') or 0, report.get('files_with_errors') or 0) if report else ''
            status = ' / '.join(str(report.get(key)) for key in ('status', 'drive_status') if report.get(key) is not None)
            lines.append('<tr><td>%s%s</td><td class="s-%s">%s%s</td>%s<td>%s</td><td>%s %s</td><td>%s</td><td>%s</td></tr>' % (
                _e(drive['name']), '' if drive['shared_drive'] is not False else ' <span class="muted">(own)</span>',
                drive['state'], STATE_WORDS[drive['state']],
                '<br><span class="muted">%s</span>' % _e(drive['missing_reason']) if drive['missing_reason'] else '',
                ''.join('<td>%s</td>' % _value(option, drive['settings']) for option, _words in SETTINGS),
                _e(size_words(report.get('cache_size_bytes'))) if report else '',
                _health_mark(drive['health']), _e('; '.join(reasons) or STATE_WORDS[drive['health']['state']]),
                _e(files), _e(status)))
        lines.append('</tbody></table>')
    lines.append('</div></section>')
    return ''.join(lines)


def _count(key, words, number, state):
    return '<li class="count s-%s%s"><b data-count="%s">%d</b>%s</li>' % (state, ' zero' if not number else '', key, number, _e(words))


def _account(account):
    state = account['state']
    words = {'in_sync': 'provision would change nothing in the account',
             'drift': 'provision would make %d change%s' % (len(account['changes']), '' if len(account['changes']) == 1 else 's'),
             'failed': 'the account step failed', 'not_checked': account['message']}[state]
    badge = {'not_checked': 'unlisted'}.get(state, state)
    text = '<div class="account" id="account"><b>Account</b> <span class="badge s-%s">%s</span> %s' % (
        badge, _e(STATE_WORDS.get(state, state.replace('_', ' '))), _e(words))
    if account['changes']:
        text += '<ul>%s</ul>' % ''.join('<li>%s</li>' % _e(change) for change in account['changes'])
    if account['message'] and state != 'not_checked':
        text += '<p class="message">%s</p>' % _e(account['message'])
    return text + '</div>'


def to_html(fleet):
    counts = fleet['counts']
    listed = fleet['listed_drives']
    desktops = fleet['desktops']
    parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             '<title>%s</title><style>%s</style></head><body>' % (_e(fleet['title']), STYLE),
             '<header id="top"><h1>%s</h1>' % _e(fleet['title']),
             '<p class="meta">%s UTC \u00b7 what <code>amove.click.provision</code> would change, read in check mode: nothing was '
             'changed \u00b7 %d desktops \u00b7 %d listed drives</p>' % (_e(fleet['generated']), counts['desktops'], counts['listed_drives']),
             '<ul class="counts" id="counts">',
             _count('desktops', 'desktops', counts['desktops'], 'total'),
             _count('in_sync', 'in sync', counts['in_sync'], 'in_sync'),
             _count('drifted', 'drifted', counts['drifted'], 'drift'),
             _count('unhealthy', 'with unhealthy drives', counts['unhealthy'], 'unhealthy'),
             _count('not_read', 'not read', counts['not_read'], 'failed'),
             '<li class="gap" aria-hidden="true"></li>',
             _count('missing_drives', 'missing drives', counts['missing_drives'], 'drift'),
             _count('drifted_drives', 'settings drift', counts['drifted_drives'], 'drift'),
             _count('unhealthy_drives', 'unhealthy drives', counts['unhealthy_drives'], 'unhealthy'),
             _count('account_changes', 'account changes', counts['account_changes'], 'drift'),
             '</ul>', _account(fleet['account']), '</header>',
             '<nav class="tools" aria-label="Filter the desktops">']
    for key, words in (('all', 'All'), ('drift', 'Drifted'), ('unhealthy', 'Unhealthy'), ('not_read', 'Not read'), ('in_sync', 'In sync')):
        parts.append('<button type="button" data-filter="%s" aria-pressed="%s">%s</button>' % (key, str(key == 'all').lower(), words))
    parts.append('<input id="search" type="search" placeholder="Find a desktop" aria-label="Find a desktop">'
                 '<span class="muted"><span id="shown">%d</span> shown</span>' % len(desktops))
    parts.append('<span class="legend">%s</span></nav><main>' % ''.join(
        '<span>%s %s</span>' % (HEALTH_MARKS[state], 'health ' + STATE_WORDS[state]) for state in ('good', 'warning', 'bad', 'unknown')))
    if desktops:
        parts.append('<div class="scroll"><table class="grid"><thead><tr><th class="desk" scope="col">Desktop</th><th scope="col">State</th>')
        parts.extend('<th class="drive" scope="col" title="%s"><span>%s</span></th>' % (_e(name), _e(name)) for name in listed)
        parts.append('<th scope="col" title="Drives on the desktop that the list does not name">Other drives</th></tr></thead><tbody>')
        parts.extend(_row(number, desktop, listed) for number, desktop in enumerate(desktops, 1))
        parts.append('</tbody></table></div>')
    else:
        parts.append('<p class="empty">No desktops in this play.</p>')
    parts.append('</main>')
    parts.extend(_details(number, desktop) for number, desktop in enumerate(desktops, 1))
    parts.append('<script>%s</script></body></html>\n' % SCRIPT)
    return ''.join(parts)
