// Stylesheets are imported for their side effect; Vite bundles them.
declare module '*.css';

// Vite's `?url` imports give the built file's URL.
declare module '*?url' {
  const url: string;
  export default url;
}
