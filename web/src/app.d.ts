// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** A stable name for the problem (an API problem code, or NETWORK), for a localised text. */
      code?: string;
    }
  }
}

export {};
