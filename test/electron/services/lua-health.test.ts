import { describe, expect, it } from 'vitest';
import { LuaHealthRunner } from '../../../electron/services/lua-health';
import { assessHealth } from '../../../shared/health';
import type { KubeObject } from '../../../shared/model/status';

const app = (health?: Record<string, unknown>): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, status: health ? { health } : {} });

/** Written the way Argo CD's bundled scripts are: globals, ipairs over conditions, early returns. */
const CERT_SCRIPT = `
hs = {}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for i, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" and condition.status == "False" then
      hs.status = "Degraded"
      hs.message = condition.message
      return hs
    end
    if condition.type == "Ready" and condition.status == "True" then
      hs.status = "Healthy"
      hs.message = condition.message
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for certificate"
return hs`;

describe('LuaHealthRunner (Argo CD custom health checks in a sandboxed Lua VM)', () => {
  it('runs an Argo CD-style script that sees obj and returns {status, message}', () => {
    const runner = new LuaHealthRunner({ 'cert-manager.io_Certificate': CERT_SCRIPT });
    const cert = (conditions: unknown[]): KubeObject => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', status: { conditions } });
    expect(runner.check(cert([{ type: 'Ready', status: 'True', message: 'issued' }]), 'cert-manager.io', 'Certificate')).toEqual({ status: 'Healthy', message: 'issued' });
    expect(runner.check(cert([{ type: 'Ready', status: 'False', message: 'no issuer' }]), 'cert-manager.io', 'Certificate')).toEqual({ status: 'Degraded', message: 'no issuer' });
    expect(runner.check(cert([]), 'cert-manager.io', 'Certificate')).toEqual({ status: 'Progressing', message: 'Waiting for certificate' });
  });

  it('plugs into assessHealth ahead of the built-in rules, and leaves other kinds alone', () => {
    const runner = new LuaHealthRunner({ apps_Deployment: 'return {status = "Suspended", message = "by policy"}' });
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { generation: 1 }, spec: { replicas: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } };
    expect(assessHealth(dep, { custom: runner })).toEqual({ status: 'Suspended', message: 'by policy' });
    expect(assessHealth({ apiVersion: 'v1', kind: 'Service', spec: {} }, { custom: runner })).toEqual({ status: 'Healthy', message: '' });
    expect(runner.has('apps', 'StatefulSet')).toBe(false);
  });

  it('matches core-group and wildcard keys as argocd-cm spells them', () => {
    const runner = new LuaHealthRunner({ _Service: 'return {status="Degraded", message="core"}', 'ec2.aws.crossplane.io_*': 'return {status="Healthy", message=obj.kind}' });
    expect(runner.check({ apiVersion: 'v1', kind: 'Service' }, '', 'Service')?.message).toBe('core');
    expect(runner.check({ apiVersion: 'ec2.aws.crossplane.io/v1', kind: 'VPC' }, 'ec2.aws.crossplane.io', 'VPC')).toEqual({ status: 'Healthy', message: 'VPC' });
  });

  it('turns a runtime error into Unknown naming the group/kind and the script line', () => {
    const runner = new LuaHealthRunner({ 'argoproj.io_Application': 'local x = obj.spec.missing.field\nreturn {status="Healthy"}' });
    const r = runner.check(app(), 'argoproj.io', 'Application');
    expect(r?.status).toBe('Unknown');
    expect(r?.message).toMatch(/^health check for argoproj\.io\/Application failed: argoproj\.io_Application:1: attempt to index a nil value/);
  });

  it('turns a syntax error into Unknown, and an invalid status into Argo CD\'s message', () => {
    const runner = new LuaHealthRunner({ a_B: 'return {status = ', c_D: 'return {status = "Great"}' });
    expect(runner.check({ kind: 'B' }, 'a', 'B')?.message).toMatch(/^health check for a\/B failed: a_B:1: /);
    expect(runner.check({ kind: 'D' }, 'c', 'D')).toEqual({ status: 'Unknown', message: 'Lua returned an invalid health status' });
  });

  it('has no file, process or module access', () => {
    const probe = 'return {status="Healthy", message=tostring(io) .. "," .. tostring(require) .. "," .. tostring(dofile) .. "," .. tostring(loadfile) .. "," .. tostring(load) .. "," .. tostring(os.execute) .. "," .. tostring(os.getenv) .. "," .. tostring(debug) .. "," .. type(os.time)}';
    const runner = new LuaHealthRunner({ x_Y: probe });
    expect(runner.check({ kind: 'Y' }, 'x', 'Y')).toEqual({ status: 'Healthy', message: 'nil,nil,nil,nil,nil,nil,nil,nil,function' });
  });

  it('accepts print, as Argo CD scripts sometimes call it, and writes nothing', () => {
    const runner = new LuaHealthRunner({ x_P: 'print("debug", obj.kind)\nreturn {status="Healthy", message=type(print)}' });
    expect(runner.check({ kind: 'P' }, 'x', 'P')).toEqual({ status: 'Healthy', message: 'function' });
  });

  it('refuses to build huge strings with string.rep, naming the limit', () => {
    const runner = new LuaHealthRunner({ x_Big: 'local s = string.rep("x", 1e9)\nreturn {status="Healthy"}', x_Small: 'return {status="Healthy", message=string.rep("ab", 3, "-")}' });
    const r = runner.check({ kind: 'Big' }, 'x', 'Big');
    expect(r?.status).toBe('Unknown');
    expect(r?.message).toContain('string.rep: result larger than 1048576 bytes');
    expect(runner.check({ kind: 'Small' }, 'x', 'Small')?.message).toBe('ab-ab-ab');
  });

  it('stops a runaway script at the instruction limit and keeps working afterwards', () => {
    const runner = new LuaHealthRunner({ x_Loop: 'while true do end', x_Ok: 'return {status="Healthy", message="ok"}' }, { instructions: 100_000, timeoutMs: 5_000 });
    const r = runner.check({ kind: 'Loop' }, 'x', 'Loop');
    expect(r?.status).toBe('Unknown');
    expect(r?.message).toContain('instruction limit of 100000 exceeded');
    expect(runner.check({ kind: 'Ok' }, 'x', 'Ok')).toEqual({ status: 'Healthy', message: 'ok' });
  });

  it('keeps the libraries read-only, so one script cannot change what another sees', () => {
    const runner = new LuaHealthRunner({
      x_Tamper: 'string.upper = function() return "hacked" end\nreturn {status="Healthy"}',
      x_ViaG: '_G.tostring = nil\nreturn {status="Healthy", message=tostring(1)}',
      x_Use: 'return {status="Healthy", message=string.upper("ok") .. tostring(2)}',
    });
    expect(runner.check({ kind: 'Tamper' }, 'x', 'Tamper')?.message).toMatch(/string is read-only/);
    expect(runner.check({ kind: 'ViaG' }, 'x', 'ViaG')).toEqual({ status: 'Healthy', message: '1' });
    expect(runner.check({ kind: 'Use' }, 'x', 'Use')).toEqual({ status: 'Healthy', message: 'OK2' });
  });

  it('gives each run fresh globals, so one object never leaks into the next', () => {
    const script = 'if seen ~= nil then return {status="Degraded", message="leaked " .. seen} end\nseen = obj.metadata.name\nreturn {status="Healthy", message=seen}';
    const runner = new LuaHealthRunner({ 'argoproj.io_Application': script });
    expect(runner.check(app(), 'argoproj.io', 'Application')).toEqual({ status: 'Healthy', message: 'a' });
    expect(runner.check(app(), 'argoproj.io', 'Application')).toEqual({ status: 'Healthy', message: 'a' });
  });

  it('offers the Lua 5.1 names Argo CD scripts use and prints whole numbers without a decimal point', () => {
    const script = 'local n = table.getn(obj.status.items)\nlocal a, b = unpack(obj.status.items)\nreturn {status="Healthy", message=n .. " " .. a .. " " .. b .. " " .. tostring(obj.status.replicas)}';
    const runner = new LuaHealthRunner({ x_Z: script });
    expect(runner.check({ kind: 'Z', status: { items: ['p', 'q'], replicas: 3 } }, 'x', 'Z')).toEqual({ status: 'Healthy', message: '2 p q 3' });
  });

  it('falls through to the other rules when a script returns nil', () => {
    const runner = new LuaHealthRunner({ _Service: 'return nil' });
    expect(assessHealth({ apiVersion: 'v1', kind: 'Service', spec: { type: 'LoadBalancer' } }, { custom: runner }).status).toBe('Progressing');
  });
});
