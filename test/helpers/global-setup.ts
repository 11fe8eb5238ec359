// Starts shared test services (moto server) once per run; see test/helpers/moto.ts.
export default async function setup(): Promise<void> {}
