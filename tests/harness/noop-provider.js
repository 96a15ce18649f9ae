"use strict";
/**
 * A dynamic provider that talks to nothing, for the harness self-test and as the benchmark floor.
 *
 * It is serialized with pulumi.runtime.serializeFunction (tests/harness/serialize-provider.js), so it
 * must capture nothing and require nothing: every helper and every piece of state lives on the
 * object itself and is reached through `this` (the host calls `provider.create(...)` etc. as methods).
 * State is per host process and per `__provider` text.
 *
 * Inputs it understands (all optional):
 *   bad               -> Check failure on property "bad"
 *   size              -> defaulted to 1 by Check (to prove the engine stores *checked* inputs)
 *   forceNew          -> a change to it is a replacement
 *   deleteBeforeReplace: true -> replacements are delete-before-replace
 *   diffUnknown: true -> Diff answers without `changes` (the host then reports DIFF_UNKNOWN)
 *   failCreate        -> Create throws a plain Error (nothing was created)
 *   failInit          -> Create creates, then throws an error carrying id/properties(+__provider)/reasons
 *   failInitBare      -> same, but the properties lack __provider (what a careless provider does)
 *   failUpdate        -> Update throws an error carrying id/properties/reasons
 *   failDelete        -> Delete throws a plain Error
 * Ids "ext-*" are "external" objects that Read can always find (for Resource.get).
 * Outputs = inputs + serial (the id) + config: { keys, types, hashes } where hashes are FNV-1a of the
 * configured values, so a test can prove a secret arrived unwrapped without the value ever appearing.
 */
module.exports = {
  unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  computed: ["__provider", "serial", "config"],
  counter: 0,
  live: {},
  deleted: {},
  cfg: { keys: [], types: {}, hashes: {} },

  fnv(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return ("0000000" + h.toString(16)).slice(-8);
  },

  inputsOf(props) {
    const r = {};
    for (const k of Object.keys(props)) if (this.computed.indexOf(k) < 0) r[k] = props[k];
    return r;
  },

  outsFor(inputs, id) {
    const r = this.inputsOf(inputs);
    r.serial = id;
    r.config = this.cfg;
    return r;
  },

  initError(message, id, properties) {
    const e = new Error(message);
    e.id = id;
    e.properties = properties;
    e.reasons = ["noop: " + message];
    return e;
  },

  async configure(req) {
    // rawConfig is the host's Config internals; fall back to probing a few keys through the public get().
    const raw = req.config.rawConfig || {};
    const keys = Object.keys(raw).length ? Object.keys(raw) : ["huaweicloud:region", "huaweicloud:secretKey"].filter((k) => req.config.get(k) !== undefined);
    const cfg = { keys: keys.slice().sort(), types: {}, hashes: {} };
    for (const k of keys) {
      const v = req.config.get(k);
      cfg.types[k] = typeof v;
      cfg.hashes[k] = typeof v === "string" ? this.fnv(v) : "not-a-string";
    }
    this.cfg = cfg;
  },

  async check(olds, news) {
    const failures = [];
    if ("bad" in news) failures.push({ property: "bad", reason: "bad is not allowed (got " + JSON.stringify(news.bad) + ")" });
    if (news.name === "") failures.push({ property: "name", reason: "must not be empty" });
    const inputs = Object.assign({}, news);
    if (inputs.size === undefined) inputs.size = 1;
    return { inputs, failures };
  },

  async diff(id, olds, news) {
    if (news.diffUnknown === true) return {};
    const keys = {};
    for (const k of Object.keys(this.inputsOf(olds))) keys[k] = true;
    for (const k of Object.keys(this.inputsOf(news))) keys[k] = true;
    const changed = Object.keys(keys).filter((k) => news[k] === this.unknown || JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    const replaces = changed.filter((k) => k === "forceNew");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && news.deleteBeforeReplace === true };
  },

  async create(inputs) {
    if (inputs.failCreate) throw new Error("noop: create refused: " + inputs.failCreate);
    this.counter += 1;
    const id = "noop-" + this.counter;
    const outs = this.outsFor(inputs, id);
    this.live[id] = outs;
    if (inputs.failInit) throw this.initError("created " + id + " but it failed to initialize", id, Object.assign({}, outs, { __provider: inputs.__provider }));
    if (inputs.failInitBare) throw this.initError("created " + id + " but it failed to initialize", id, outs);
    return { id, outs };
  },

  async read(id, props) {
    if (id.indexOf("ext-") === 0) {
      const outs = Object.assign(this.inputsOf(props), { serial: id, external: true });
      return { id, props: outs, inputs: this.inputsOf(props) };
    }
    const outs = this.live[id];
    if (!outs) return { id: "", props: {} };
    return { id, props: Object.assign({}, outs), inputs: this.inputsOf(outs) };
  },

  async update(id, olds, news) {
    const outs = this.outsFor(news, id);
    this.live[id] = outs;
    if (news.failUpdate) throw this.initError("updated " + id + " but it failed to initialize", id, Object.assign({}, outs, { __provider: news.__provider }));
    return { outs };
  },

  async delete(id, props) {
    if (props.failDelete) throw new Error("noop: delete refused for " + id);
    delete this.live[id];
    this.deleted[id] = true;
  },
};
