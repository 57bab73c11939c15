// The page's files, imported as text (`with { type: 'text' }`) so esbuild embeds them in
// dist/main.js and the display serves its page with no other files.
declare module '*.html' {
  const text: string;
  export default text;
}
declare module '*.css' {
  const text: string;
  export default text;
}
declare module '*.txt' {
  const text: string;
  export default text;
}
