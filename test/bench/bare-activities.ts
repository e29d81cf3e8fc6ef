// The baseline's work: as many no-op steps as Tend's benchmark program has nodes, in
// one activity call (Tend runs a run's nodes until its first wait in one call).
export async function noops(steps: number): Promise<number> {
  let done = 0;
  for (let i = 0; i < steps; i++) done += await Promise.resolve(1);
  return done;
}
