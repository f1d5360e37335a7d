// A variant of the default mix (scenario.mjs) in which benign clients never present a stale
// or revoked key: every benign request carries the client's valid key. Everything else is
// the default. It isolates one effect: a benign address that many valid keys share (a NAT)
// and that also sends a single request without a valid key. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/nat-clean.mjs
import base from './scenario.mjs';

const sc = structuredClone(base);
sc.name = 'nat-clean';
sc.classes.steady.authFailShare = 0;
sc.classes.nat.authFailShare = 0;
export default sc;
