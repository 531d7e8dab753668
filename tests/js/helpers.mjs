// Loads xblocks/common/static/js/bizmooc.js into a fresh jsdom window, as the LMS loads it
// (a classic script defining window.BizMOOC), with fakes for what a test must control:
// fetch, the clock (window.setTimeout/clearTimeout) and the XBlock runtime.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {JSDOM} from 'jsdom';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIZMOOC_JS = readFileSync(REPO + 'xblocks/common/static/js/bizmooc.js', 'utf8');

/* A clock that only moves when told: tick(ms) runs every timer due by then, in order. */
export class FakeClock {
  constructor() {
    this.now = 0;
    this.nextId = 1;
    this.timers = new Map();
  }

  install(window) {
    window.setTimeout = (fn, delay) => {
      const id = this.nextId++;
      this.timers.set(id, {fn, at: this.now + (Number(delay) || 0)});
      return id;
    };
    window.clearTimeout = (id) => { this.timers.delete(id); };
  }

  /* Delays of the timers waiting now, from the current time, soonest first. */
  pending() {
    return [...this.timers.values()].map((timer) => timer.at - this.now).sort((a, b) => a - b);
  }

  tick(ms) {
    const until = this.now + ms;
    for (;;) {
      let next = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= until && (next === null || timer.at < next[1].at)) { next = [id, timer]; }
      }
      if (next === null) { break; }
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = until;
  }
}

/* A fetch that answers from `respond(url, init)` -> {status, body} | {status, text} | 'offline',
 * and records every request. */
export function fakeFetch(window, respond) {
  const requests = [];
  window.fetch = (url, init) => {
    requests.push({url, init});
    const answer = respond(url, init);
    if (answer === 'offline') { return Promise.reject(new TypeError('Failed to fetch')); }
    const status = answer.status || 200;
    return Promise.resolve({
      ok: status >= 200 && status < 300,
      status,
      json: () => ('text' in answer
        ? Promise.reject(new SyntaxError('Unexpected token'))
        : Promise.resolve(JSON.parse(JSON.stringify(answer.body === undefined ? {} : answer.body)))),
    });
  };
  return requests;
}

/* A runtime like the LMS's: handlerUrl(element, name). */
export function fakeRuntime() {
  const notes = [];
  return {
    notes,
    handlerUrl: (element, handler) => '/xblock/block-v1:x/handler/' + handler,
    notify: (name, data) => { notes.push([name, JSON.parse(JSON.stringify(data))]); },
  };
}

/* A window with `html` as its body and BizMOOC loaded; the clock is fake from the start. */
export function load(html = '') {
  const dom = new JSDOM('<!DOCTYPE html><html lang="en"><body>' + html + '</body></html>', {
    url: 'https://lms.example.test/courses/course-v1:BizMOOC+T+1/',
    runScripts: 'outside-only',
  });
  const {window} = dom;
  const clock = new FakeClock();
  clock.install(window);
  window.eval(BIZMOOC_JS);
  return {window, document: window.document, B: window.BizMOOC, clock};
}

/* Objects made inside the window have its prototypes: compare them as plain data. */
export const plain = (value) => JSON.parse(JSON.stringify(value));
