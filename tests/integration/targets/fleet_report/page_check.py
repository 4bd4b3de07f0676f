"""What a person sees of index.html, rendered in a real headless Chromium (browser.py), and pictures of it.

    python page_check.py fleet INDEX KEEP EXPECT...
        the page as a person reads it says exactly EXPECT:
          count:KEY=N           the count card KEY (desktops, in_sync, drifted, ...) shows N
          row:DESKTOP=STATE     the desktop's row says STATE (drift, unhealthy, in sync, ...), marked unless in sync
          cell:DESKTOP/DRIVE=TEXT   the cell shows TEXT (then the health mark, when it has one), highlighted
                                (not the colour of a drive in sync)
          details:DESKTOP=TEXT  a click on the desktop's name opens its details, which say TEXT
        and: nothing but the file itself is loaded, no script error, the Drifted filter shows the drifted rows
        only. Pictures of the page and of each desktop's details named are kept in KEEP.
    python page_check.py scale KEEP COLLECTIONS_ROOT
        a report of 500 desktops by 12 drives, written by the collection's own code, loads, shows its 500 rows
        with the header in view after scrolling, and finds a desktop by name. Its picture is kept in KEEP.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time

from browser import Chromium


def fail(message):
    sys.exit('FAILED: ' + message)


def no_network(browser, url):
    loaded = [event['params']['request']['url'] for event in browser.events if event.get('method') == 'Network.requestWillBeSent']
    if loaded != [url]:
        fail('the page loaded more than itself: %r' % loaded)
    if browser.exceptions():
        fail('script errors: %r' % browser.exceptions())


def rows(browser):
    """Each row as shown: name, state words, whether it is marked, and whether it is visible."""
    return browser.evaluate('''Array.from(document.querySelectorAll('table.grid tbody tr')).map(function (row) {
        var name = row.querySelector('th'), state = row.querySelector('td .badge');
        return {name: name.innerText.trim(), state: state.innerText.trim(),
                marked: getComputedStyle(name).boxShadow !== 'none', visible: row.offsetParent !== null};
    })''')


def cell(browser, desktop, drive):
    return browser.evaluate('''(function (desktop, drive) {
        var heads = Array.from(document.querySelectorAll('table.grid thead th')).map(function (th) { return th.innerText.trim(); });
        var row = Array.from(document.querySelectorAll('table.grid tbody tr')).filter(function (row) {
            return row.querySelector('th').innerText.trim() === desktop; })[0];
        var cell = row.children[heads.indexOf(drive)], synced = document.querySelector('table.grid td.s-in_sync');
        var mark = cell.querySelector('.h'), text = cell.innerText.trim();
        if (mark) { text = text.slice(0, text.length - mark.innerText.length).trim() + ' ' + mark.innerText; }
        return {text: text, background: getComputedStyle(cell).backgroundColor,
                synced: synced ? getComputedStyle(synced).backgroundColor : null};
    })(%s, %s)''' % (json.dumps(desktop), json.dumps(drive)))


def check_fleet(index, keep, expectations):
    url = pathlib.Path(index).resolve().as_uri()
    with Chromium(1280, 720) as browser:
        browser.call('Network.enable', session=True)
        browser.open(url)
        no_network(browser, url)
        browser.screenshot(os.path.join(keep, 'fleet-report.png'))
        counts = dict(browser.evaluate('''Array.from(document.querySelectorAll('#counts .count')).map(function (card) {
            var rect = card.getBoundingClientRect();
            return [card.querySelector('b').getAttribute('data-count'),
                    [card.querySelector('b').innerText.trim(), rect.bottom <= innerHeight && rect.height > 0]]; })'''))
        shown = dict((row['name'], row) for row in rows(browser))
        for expectation in expectations:
            kind, _colon, rest = expectation.partition(':')
            where, wanted = rest.split('=', 1)
            if kind == 'count':
                if counts.get(where) != [wanted, True]:
                    fail('the count %s shows %r (text, in view), wanted %s' % (where, counts.get(where), wanted))
            elif kind == 'row':
                row = shown.get(where)
                if not row or row['state'] != wanted or row['marked'] != (wanted != 'in sync'):
                    fail('row %s is %r, wanted %s%s' % (where, row, wanted, '' if wanted == 'in sync' else ', marked'))
            elif kind == 'cell':
                seen = cell(browser, *where.split('/', 1))
                if seen['text'] != wanted or seen['background'] == seen['synced']:
                    fail('cell %s shows %r, wanted %r highlighted' % (where, seen, wanted))
            elif kind == 'details':
                number = [row['name'] for row in rows(browser)].index(where) + 1
                browser.click('table.grid tbody tr:nth-child(%d) th a' % number)
                opened = browser.evaluate('''(function () { var panel = document.querySelector(location.hash + ' .panel');
                    var rect = panel && panel.getBoundingClientRect();
                    return panel && {hash: location.hash, shown: rect.height > 0 && rect.top < innerHeight,
                                     text: panel.innerText, title: panel.querySelector('h2').innerText}; })()''')
                if not opened or not opened['shown'] or not opened['title'].startswith(where) or wanted not in opened['text']:
                    fail('details of %s: %r, wanted them shown with %r' % (where, opened, wanted))
                browser.screenshot(os.path.join(keep, 'fleet-report-details-%s.png' % where))
                browser.call('Input.dispatchKeyEvent', {'type': 'keyDown', 'key': 'Escape', 'code': 'Escape',
                                                        'windowsVirtualKeyCode': 27}, session=True)
                if browser.evaluate("document.querySelector('%s').getBoundingClientRect().height" % opened['hash']) != 0:
                    fail('Escape did not close the details of %s' % where)
            else:
                fail('unknown expectation %s' % expectation)
        drifted = sorted(row['name'] for row in rows(browser) if row['state'] == 'drift')
        browser.click('.tools button[data-filter="drift"]')
        visible = sorted(row['name'] for row in rows(browser) if row['visible'])
        if visible != drifted or browser.evaluate("document.getElementById('shown').innerText") != str(len(drifted)):
            fail('the Drifted filter shows %r, wanted %r' % (visible, drifted))
    print('the page shows it: %d expectations, the Drifted filter, no network, no script error' % len(expectations))


def check_scale(keep, collections_root):
    sys.path.insert(0, collections_root)
    from ansible_collections.amove.click.plugins.plugin_utils._fleet_page import to_html
    from ansible_collections.amove.click.plugins.plugin_utils._fleet_report import build

    listed = ['Drive %02d' % number for number in range(12)]
    results = {}
    for number in range(500):
        drives = [{'name': name, 'shared_drive': True, 'drive_letter': 'DEFGHIJKLMNO'[index], 'max_cache_size': 10 * 1024 ** 3,
                   'cache_encrypted': False, 'rotational_cache': False, 'sync_interval': 60, 'active': True,
                   'health': {'status': 'Running', 'files_with_errors': 1 if number % 97 == 5 and index == 3 else 0,
                              'files_pending_upload': 4 if number % 31 == 2 and index == 6 else 0, 'cache_size_bytes': 1024 ** 3}}
                  for index, name in enumerate(listed) if not (number % 50 == 7 and index == 5)]
        tuned = [{'name': 'Drive 01', 'present': True, 'changed': True, 'changed_settings': ['drive_letter'],
                  'desktop_drive': dict(drives[1], drive_letter='Z')}] if number % 40 == 3 else []
        names = [drive['name'] for drive in drives]
        results['studio-%03d.example.com' % number] = {
            'status': 'started', 'cloud_drives': drives, 'desktop_drives': tuned,
            'received': [name for name in listed if name in names], 'missing': [name for name in listed if name not in names]}
    page = os.path.join(keep, 'fleet-500.html')
    with open(page, 'w') as stream:
        stream.write(to_html(build({}, results, '2026-01-01T00:00:00Z')))
    url = pathlib.Path(page).resolve().as_uri()
    with Chromium(1280, 720) as browser:
        browser.call('Network.enable', session=True)
        started = time.monotonic()
        browser.open(url)
        took = time.monotonic() - started
        no_network(browser, url)
        browser.screenshot(os.path.join(keep, 'fleet-report-500.png'))
        if len(rows(browser)) != 500:
            fail('%d rows, wanted 500' % len(rows(browser)))
        # Scrolled far down the grid, the drives' names stay in view above the rows.
        header = browser.evaluate('''(function () { var box = document.querySelector('.scroll'); box.scrollTop = 6000;
            var head = document.querySelector('table.grid thead th.drive').getBoundingClientRect();
            return [head.top - box.getBoundingClientRect().top, box.scrollTop]; })()''')
        if not (0 <= header[0] <= 2 and header[1] > 1000):
            fail('after scrolling, the header is %r px from the top of the grid' % (header,))
        browser.evaluate("var s = document.getElementById('search'); s.value = 'studio-123'; s.dispatchEvent(new Event('input'))")
        visible = [row['name'] for row in rows(browser) if row['visible']]
        if visible != ['studio-123.example.com']:
            fail('searching studio-123 shows %r' % visible)
    print('500 desktops by 12 drives: %d KB, loaded in %.1f s, header in view after scrolling, search finds one'
          % (os.path.getsize(page) // 1024, took))


if __name__ == '__main__':
    if sys.argv[1] == 'fleet':
        check_fleet(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == 'scale':
        check_scale(sys.argv[2], sys.argv[3])
    else:
        fail('unknown command %s' % sys.argv[1])
