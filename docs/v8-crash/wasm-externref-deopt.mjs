// The V8 crash of issue 11 (README.md here), in under 50 lines: a JS function optimised by TurboFan
// calls a Wasm export with an externref result; the Wasm calls back into JS, which changes the
// prototype the caller's optimised code relies on, so the caller is deoptimised lazily when the
// Wasm call returns. On Node 20.20 (V8 11.3) that kills the process in its first round ("Fatal
// error ... unreachable code" in Deoptimizer::DoComputeBuiltinContinuation, SIGTRAP).
//   node --allow-natives-syntax docs/v8-crash/wasm-externref-deopt.mjs             crashes
//   node --allow-natives-syntax --no-turbo-inline-js-wasm-calls docs/v8-crash/...  runs to its end
// The same module with an i32 result instead of the externref does not crash.
const bytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x06, 0x01, 0x60, 0x01, 0x6f, 0x01, 0x6f, // type 0: (externref) -> externref
  0x02, 0x08, 0x01, 0x01, 0x6d, 0x02, 0x63, 0x62, 0x00, 0x00, // import "m" "cb", type 0
  0x03, 0x02, 0x01, 0x00, // one function, type 0
  0x07, 0x05, 0x01, 0x01, 0x67, 0x00, 0x01, // export "g" = function 1
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b, // local.get 0; call 0; end
]);
let invalidate = null;
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
  m: {
    cb: (x) => {
      if (invalidate) {
        invalidate();
        invalidate = null;
      }
      return x;
    },
  },
});
const g = instance.exports.g;
const rounds = Number(process.env.ROUNDS ?? 50);
for (let round = 0; round < rounds; round++) {
  // A fresh class each round: f's optimised code inlines its method, relying on the prototype's
  // map staying as it is.
  const C = new Function("return function C() { this.v = 1; }")();
  C.prototype.m = function () { return this.v; };
  const f = new Function("g", "return function f(o) { const r = g(o); return r.m() + 1; }")(g);
  %PrepareFunctionForOptimization(f);
  f(new C());
  f(new C());
  %OptimizeFunctionOnNextCall(f);
  f(new C());
  // During the Wasm call: the prototype changes, and f's code is marked for deoptimisation.
  invalidate = () => {
    C.prototype[`extra${round}`] = round;
  };
  f(new C());
}
console.log(`no crash in ${rounds} rounds`);
