/**
 * How many distinct keys were seen, in 4 KB whatever their number (HyperLogLog, Flajolet
 * et al. 2007, with its small-range correction; about 1.6% standard error). For the
 * targets seen once spilled records make the map forget some of them.
 */
const BITS = 12;
const M = 1 << BITS;
const ALPHA = 0.7213 / (1 + 1.079 / M);

function hash32(key: string): number {
  // FNV-1a, then a murmur3 finaliser so the low bits (the register) are well mixed.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class DistinctCount {
  constructor(readonly registers = new Uint8Array(M)) {}

  add(key: string): void {
    const h = hash32(key);
    const j = h & (M - 1);
    // Rank of the first set bit of the remaining 20 bits, 1-based.
    const rank = Math.min(Math.clz32(h >>> BITS) - BITS + 1, 32 - BITS + 1);
    if (rank > this.registers[j]) this.registers[j] = rank;
  }

  merge(o: Uint8Array): void {
    for (let j = 0; j < M; j++) if (o[j] > this.registers[j]) this.registers[j] = o[j];
  }

  get estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < M; j++) {
      sum += 2 ** -this.registers[j];
      if (this.registers[j] === 0) zeros++;
    }
    const e = (ALPHA * M * M) / sum;
    return Math.round(e <= 2.5 * M && zeros > 0 ? M * Math.log(M / zeros) : e);
  }
}
