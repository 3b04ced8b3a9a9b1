import { describe, expect, it } from 'vitest';
import { LuaHealthRunner } from '../../electron/services/lua-health';

const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
const OK = 'return {status="Healthy", message="ok"}';

/** Runs one hostile script beside a harmless one; returns the hostile result, the time it took and the RSS growth. */
function hostile(script: string): { message: string; status: string; ms: number; rssGrowthMb: number } {
  const runner = new LuaHealthRunner({ 'example.com_Widget': script, 'example.com_Gadget': OK }, undefined, 'flotilla.yaml');
  const rss = process.memoryUsage.rss();
  const started = Date.now();
  const r = runner.check(obj, 'example.com', 'Widget');
  const ms = Date.now() - started;
  const rssGrowthMb = (process.memoryUsage.rss() - rss) / 1048576;
  // The runner keeps working after a hostile script (a fresh worker when the old one was ended).
  expect(runner.check({ ...obj, kind: 'Gadget' }, 'example.com', 'Gadget')).toEqual({ status: 'Healthy', message: 'ok' });
  runner.close();
  return { message: r?.message ?? '', status: r?.status ?? '', ms, rssGrowthMb };
}

describe('hostile Lua health checks are bounded in time and memory', () => {
  it('ends a pattern match that never returns (string.find with (.-)(.-)(.-)(.-)b) at the hard deadline', () => {
    const r = hostile('local s = string.find(("a"):rep(2e5), "(.-)(.-)(.-)(.-)b")\nreturn {status="Healthy"}');
    expect(r.status).toBe('Unknown');
    expect(r.message).toMatch(/^health check for example\.com\/Widget \(flotilla\.yaml\) failed: time limit of 1000 ms exceeded/);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('stops s = s .. s doubling at the string memory limit', () => {
    const r = hostile('local s = "x"\nfor i = 1, 40 do s = s .. s end\nreturn {status="Healthy", message=#s}');
    expect(r.status).toBe('Unknown');
    expect(r.message).toContain('memory limit of 64 MiB (strings) exceeded');
    expect(r.ms).toBeLessThan(5_000);
    expect(r.rssGrowthMb).toBeLessThan(512);
  });

  it('stops table.concat of 2,000 one-MiB strings at the string memory limit', () => {
    const r = hostile('local t = {}\nlocal mib = string.rep("x", 1048576)\nfor i = 1, 2000 do t[i] = mib end\nlocal s = table.concat(t)\nreturn {status="Healthy", message=#s}');
    expect(r.status).toBe('Unknown');
    expect(r.message).toContain('memory limit of 64 MiB (strings) exceeded');
    expect(r.ms).toBeLessThan(5_000);
    expect(r.rssGrowthMb).toBeLessThan(512);
  });

  it('stops a table that grows without end at the heap limit', () => {
    const r = hostile('local t = {}\nlocal i = 0\nwhile true do i = i + 1; t[i] = {i, i, i} end');
    expect(r.status).toBe('Unknown');
    expect(r.message).toMatch(/memory limit of 64 MiB \(heap\) exceeded|instruction limit of 1000000 exceeded|time limit of 1000 ms exceeded/);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('runs a script that hit the deadline once per runner, not once per object', () => {
    const runner = new LuaHealthRunner({ 'example.com_Widget': 'string.find(("a"):rep(2e5), "(.-)(.-)(.-)(.-)b")' });
    const first = runner.check(obj, 'example.com', 'Widget');
    const started = Date.now();
    for (let i = 0; i < 20; i++) expect(runner.check(obj, 'example.com', 'Widget')).toEqual(first);
    expect(Date.now() - started).toBeLessThan(500);
    runner.close();
  });

  it('evaluates checks off the main thread: timers keep firing while a hostile check runs, and the next comparison skips it', async () => {
    // Its own script text: a script stopped at its deadline is remembered for the process, by its text.
    const hang = '-- evaluate test\nstring.find(("a"):rep(2e5), "(.-)(.-)(.-)(.-)b")';
    const objects = [1, 2, 3].map((i) => ({ ...obj, metadata: { name: `w${i}` } }));
    const first = new LuaHealthRunner({ 'example.com_Widget': hang, 'example.com_Gadget': OK }, undefined, 'flotilla.yaml');
    const gaps: number[] = [];
    let last = Date.now();
    const ticker = setInterval(() => {
      const now = Date.now();
      gaps.push(now - last);
      last = now;
    }, 20);
    const started = Date.now();
    await first.evaluate(objects);
    const ms = Date.now() - started;
    clearInterval(ticker);
    // The deadline was reached (1,000 ms time limit + 250 ms grace) while this thread kept running its timers.
    expect(ms).toBeGreaterThanOrEqual(1_000);
    expect(gaps.length).toBeGreaterThan(20);
    expect(Math.max(...gaps)).toBeLessThan(200);
    for (const o of objects) expect(first.check(o, 'example.com', 'Widget')?.message).toMatch(/^health check for example\.com\/Widget \(flotilla\.yaml\) failed: time limit of 1000 ms exceeded/);
    first.close();
    // A later comparison (a new runner, as each refresh makes) does not run the script again.
    const second = new LuaHealthRunner({ 'example.com_Widget': hang, 'example.com_Gadget': OK }, undefined, 'flotilla.yaml');
    const again = Date.now();
    await second.evaluate([...objects, { ...obj, kind: 'Gadget' }]);
    expect(Date.now() - again).toBeLessThan(500);
    expect(second.check(objects[0]!, 'example.com', 'Widget')?.message).toMatch(/time limit of 1000 ms exceeded/);
    expect(second.check({ ...obj, kind: 'Gadget' }, 'example.com', 'Gadget')).toBeDefined();
    second.close();
  });

  it('a check stopped at its deadline is one Problem naming the check and its file, line and column, and is not run again', async () => {
    const hang = '-- problem test\nstring.find(("a"):rep(2e5), "(.-)(.-)(.-)(.-)b")';
    const positions = { 'example.com_Widget': { line: 12, column: 7 } };
    const runner = new LuaHealthRunner({ 'example.com_Widget': hang, 'example.com_Gadget': OK }, undefined, 'flotilla.yaml', positions);
    expect(runner.stoppedProblems()).toEqual([]);
    await runner.evaluate([1, 2].map((i) => ({ ...obj, metadata: { name: `w${i}` } })));
    expect(runner.check({ ...obj, metadata: { name: 'w1' } }, 'example.com', 'Widget')?.message).toMatch(/^health check for example\.com\/Widget \(flotilla\.yaml:12:7\) failed: time limit of 1000 ms exceeded/);
    const problems = runner.stoppedProblems();
    expect(problems).toEqual([{
      severity: 'error', file: 'flotilla.yaml', line: 12, column: 7,
      message: expect.stringMatching(/^custom health check example\.com_Widget failed: time limit of 1000 ms exceeded .*; it is marked failed and not run again in this session \(the health of the example\.com\/Widget objects it judges is Unknown\)$/),
    }]);
    runner.close();
    // The next comparison (a new runner) skips it at once and reports it again.
    const next = new LuaHealthRunner({ 'example.com_Widget': hang }, undefined, 'flotilla.yaml', positions);
    const started = Date.now();
    await next.evaluate([obj]);
    expect(Date.now() - started).toBeLessThan(200);
    expect(next.stoppedProblems()).toEqual(problems);
    next.close();
  });
});
