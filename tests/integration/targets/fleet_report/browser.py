"""A real headless Chromium, driven over the DevTools protocol on a pipe, with the standard library only.

    with Chromium() as browser:
        browser.open('file:///.../index.html')
        browser.evaluate('document.title')
        browser.screenshot('page.png')

Chromium is Debian's `chromium` package, which tools/dev/setup_chromium.sh installs
(AMOVE_CLICK_CHROMIUM names another binary). `--remote-debugging-pipe` takes the
protocol's messages, NUL-terminated JSON, on file descriptor 3 and answers on 4.
The page is shown as a person sees it: laid out, styled, its script run.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

# What works on a machine without a display, GPU or internet, and keeps Chromium from calling home.
FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-extensions', '--hide-scrollbars', '--mute-audio')


def chromium_binary():
    for candidate in (os.environ.get('AMOVE_CLICK_CHROMIUM'), 'chromium', 'chromium-browser'):
        path = candidate and shutil.which(candidate)
        if path:
            return path
    raise SystemExit('chromium is not installed: run tools/dev/setup_chromium.sh (it installs the distribution\'s package)')


class BrowserError(Exception):
    pass


class Chromium:
    def __init__(self, width=1280, height=800, timeout=30):
        self.width, self.height, self.timeout = width, height, timeout
        self.profile = tempfile.mkdtemp(prefix='amove-click-chromium-')
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def descriptors():
            # The child's 3 and 4, whatever numbers the pipes got here (a dup2 onto itself would stay close-on-exec).
            read, write = os.dup(commands_read), os.dup(answers_write)
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.process = subprocess.Popen(
            [chromium_binary(), *FLAGS, '--user-data-dir=' + self.profile, '--window-size=%d,%d' % (width, height),
             '--remote-debugging-pipe', 'about:blank'],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=False,
            preexec_fn=descriptors)  # pylint: disable=subprocess-popen-preexec-fn
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b''
        self._next = 0
        self.events = []
        target = self.call('Target.createTarget', {'url': 'about:blank'})['targetId']
        self.session = self.call('Target.attachToTarget', {'targetId': target, 'flatten': True})['sessionId']
        self.call('Page.enable', session=True)
        self.call('Runtime.enable', session=True)
        self.call('Emulation.setDeviceMetricsOverride', {'width': width, 'height': height, 'deviceScaleFactor': 1,
                                                         'mobile': False}, session=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.call('Browser.close')
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for descriptor in (self._commands, self._answers):
            try:
                os.close(descriptor)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _message(self, deadline):
        while b'\0' not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError('Chromium did not answer in %d seconds' % self.timeout)
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                raise BrowserError('Chromium closed the pipe (exit status %s)' % self.process.poll())
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b'\0', 1)
        return json.loads(line)

    def call(self, method, params=None, session=False):
        self._next += 1
        message = {'id': self._next, 'method': method, 'params': params or {}}
        if session:
            message['sessionId'] = self.session
        os.write(self._commands, json.dumps(message).encode() + b'\0')
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._message(deadline)
            if answer.get('id') == self._next:
                if 'error' in answer:
                    raise BrowserError('%s: %s' % (method, answer['error'].get('message')))
                return answer.get('result', {})
            self.events.append(answer)

    def wait_for(self, event):
        deadline = time.monotonic() + self.timeout
        while True:
            for number, seen in enumerate(self.events):
                if seen.get('method') == event:
                    return self.events.pop(number)
            self.events.append(self._message(deadline))

    def open(self, url):
        """Go to the URL and wait until it is loaded: its style applied and its script run."""
        self.events = []
        self.call('Page.navigate', {'url': url}, session=True)
        self.wait_for('Page.loadEventFired')

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page; a script error fails."""
        result = self.call('Runtime.evaluate', {'expression': expression, 'returnByValue': True, 'awaitPromise': True},
                           session=True)
        if 'exceptionDetails' in result:
            raise BrowserError('%s: %s' % (expression, result['exceptionDetails'].get('exception', {}).get('description')))
        return result['result'].get('value')

    def exceptions(self):
        """Script errors the page raised since it was opened."""
        return [event['params']['exceptionDetails'] for event in self.events if event.get('method') == 'Runtime.exceptionThrown']

    def click(self, selector):
        """Click the element's centre with the mouse, as a person does (scrolled into view first)."""
        box = self.evaluate('(function(){var e=document.querySelector(%s); if(!e) return null; e.scrollIntoView({block:"center"});'
                            'var r=e.getBoundingClientRect(); return [r.left+r.width/2, r.top+r.height/2];})()' % json.dumps(selector))
        if box is None:
            raise BrowserError('nothing on the page matches %s' % selector)
        for kind in ('mousePressed', 'mouseReleased'):
            self.call('Input.dispatchMouseEvent', {'type': kind, 'x': box[0], 'y': box[1], 'button': 'left', 'clickCount': 1},
                      session=True)

    def screenshot(self, path, full_page=False):
        params = {'format': 'png'}
        if full_page:
            size = self.evaluate('[document.documentElement.scrollWidth, document.documentElement.scrollHeight]')
            params.update(captureBeyondViewport=True, clip={'x': 0, 'y': 0, 'width': size[0], 'height': size[1], 'scale': 1})
        data = self.call('Page.captureScreenshot', params, session=True)['data']
        with open(path, 'wb') as picture:
            picture.write(base64.b64decode(data))
