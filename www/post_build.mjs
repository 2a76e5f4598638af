// Trunk post_build hook (Trunk.toml), run after every `trunk build` and every rebuild of
// `trunk serve`, in the staging directory ($TRUNK_STAGING_DIR) before it becomes dist/:
//
// 1. Moves every inline <script> of index.html into its own file: the page's
//    Content-Security-Policy (www/index.html) allows scripts from the page's origin only, and
//    trunk 0.21 writes its wasm loader inline (trunk-rs/trunk#288 is still open; its nonce
//    option needs a server that sets headers). The loader becomes
//    `<script type="module" src="./init-<hash>.js" integrity="sha384-…">`; the live-reload
//    script of `trunk serve` becomes `autoreload-<hash>.js`, with the two values trunk's dev
//    server would have written into the HTML computed in the browser instead.
// 2. Gives the import module (trunk builds it from `data-type="worker"`, under its bare binary
//    name) a content hash, as trunk gives the page's own files; names its glue's entry
//    `eksplainImport`; writes its opener (`<hash>_open.js`, which the page adds when Import…
//    is pressed: it runs the glue, starts the wasm and opens the dialog) and its worker loader
//    (`importScripts` of the glue, then the wasm), and names the loader in `<meta name="eksplain-import-module" content="./eksplain-import-<hash>_loader.js">`,
//    which the page reads when Import… is pressed (src/ui/share/import_module.rs). Nothing
//    fetches it before: it is neither preloaded nor injected.
// 3. Writes embed.html (the read-only diagram for iframes, docs/embedding.md), which loads
//    its own wasm, the embed module (src/bin/eksplain_embed.rs: the viewer alone; trunk
//    builds it from a second `data-type="worker"` link, neither preloaded nor injected into
//    index.html): its glue (wasm-bindgen's `no-modules` target) and wasm get a content hash,
//    the glue ends by starting the wasm (fetched with its SRI hash), and the page is index.html
//    without anything of the editor — no loader, no preload of its script or wasm, no import
//    meta, not the editor's stylesheet (www/style.css; the diagram's, www/diagram.css,
//    stays) — with a preload of the embed wasm and a deferred <script> of its glue (SRI and
//    `crossorigin` as the others) and an async script that compiles the wasm while it
//    downloads (the glue starts the compiled module), its own title, `crossorigin` on the
//    stylesheet (in <iframe sandbox="allow-scripts">, an opaque origin, its integrity check
//    needs CORS), and
//    a message for a frame that cannot load the app — instead of a blank box: static text
//    (readable even when the stylesheet and every script are refused, as they are in an
//    opaque origin on a server without CORS headers), which the stylesheet keeps hidden while
//    the app loads, `embed-fallback-<hash>.js` shows at once with the reason when a script or
//    the wasm fails, and the app removes when it runs (src/ui/share/embed.rs).
//
// Fails (non-zero exit, so the build fails) when the HTML is not what it expects.

import { createHash } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The script's file name for `kind` and its text: a content hash keeps caches honest. */
function fileName(kind, text) {
  return `${kind}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.js`;
}

/** The SRI value trunk also uses for its own files. */
function integrity(text) {
  return `sha384-${createHash('sha384').update(text).digest('base64')}`;
}

/**
 * `html` with each inline script replaced by a reference to a file; returns the new HTML and
 * the files to write ({ name, text }).
 */
export function externalizeScripts(html) {
  const files = [];
  const out = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attrs, body) => {
    if (/\bsrc\s*=/i.test(attrs)) return whole;
    const module = /\btype\s*=\s*["']?module\b/i.test(attrs);
    let kind;
    let text = body.trim() + '\n';
    if (module && text.includes("import init")) {
      kind = 'init';
    } else if (text.includes('{{__TRUNK_ADDRESS__}}')) {
      // trunk serve's live reload. Its server fills these in HTML responses only; a script
      // file must find them itself: the page's host, and the page's directory (trunk's
      // WebSocket lives at `<serve base>.well-known/trunk/ws`, and xtask serves at "/").
      kind = 'autoreload';
      text = text
        .replaceAll("'{{__TRUNK_ADDRESS__}}'", 'window.location.host')
        .replaceAll("'{{__TRUNK_WS_BASE__}}'", "new URL('.', document.baseURI).pathname");
      if (text.includes('{{__TRUNK_')) {
        throw new Error('the live-reload script has a placeholder this hook does not know');
      }
    } else {
      throw new Error(`an inline <script> this hook does not know:\n${text.slice(0, 200)}`);
    }
    const name = fileName(kind, text);
    files.push({ name, text });
    const type = module ? ' type="module"' : '';
    return `<script${type} src="./${name}" integrity="${integrity(text)}" crossorigin="anonymous"></script>`;
  });
  return { html: out, files };
}

/** The import module's binary name (Cargo.toml, www/index.html). */
export const IMPORT_MODULE = 'eksplain-import';
/** The meta tag that names its loader (src/ui/share/import_worker.rs reads it). */
export const IMPORT_META = 'eksplain-import-module';

/**
 * The import module's hashed file names for its glue and wasm, and its loader's text: the
 * glue (wasm-bindgen's `no-modules` target) defines `wasm_bindgen`, which fetches the wasm.
 */
export function importModule(js, wasm) {
  // The opener runs the glue with a <script>, where its top-level `let wasm_bindgen` is no
  // property of window: the entry gets a global name.
  js = `${js}\nglobalThis.eksplainImport = wasm_bindgen;\n`;
  const hash = createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 16);
  const base = `${IMPORT_MODULE}-${hash}`;
  const loader =
    `importScripts('./${base}.js');\n` + `wasm_bindgen({ module_or_path: './${base}_bg.wasm' });\n`;
  return {
    js: { name: `${base}.js`, text: js },
    wasm: `${base}_bg.wasm`,
    loader: { name: `${base}_loader.js`, text: loader },
    opener: { name: `${base}_open.js`, text: opener(base) },
  };
}

/**
 * The opener the page adds on each press of Import… (src/ui/share/import_module.rs): it runs
 * the module's glue once, starts its wasm once, and opens the dialog. What the dialog gives,
 * or `false` when the module does not load, reaches the page as an `eksplain-import` event.
 */
export function opener(base) {
  return `// The import module's opener (www/post_build.mjs).
(() => {
  document.currentScript?.remove();
  // What Open…, a drop or a paste handed over (src/ui/share/import_module.rs), read once.
  const inputs = globalThis.eksplainImportInputs ?? null;
  delete globalThis.eksplainImportInputs;
  const tell = (detail) => dispatchEvent(new CustomEvent('eksplain-import', { detail }));
  const start = () =>
    eksplainImport({ module_or_path: './${base}_bg.wasm' })
      .then(() => eksplainImport.open_import_dialog((json) => tell(json ?? null), inputs))
      .catch(() => tell(false));
  if (globalThis.eksplainImport) return start();
  const glue = document.createElement('script');
  glue.src = './${base}.js';
  glue.onload = start;
  glue.onerror = () => {
    glue.remove();
    tell(false);
  };
  document.head.append(glue);
})();
`;
}

/** `html` with the meta tag naming the import module's loader. */
export function withImportMeta(html, loaderName) {
  if (!html.includes('</head>')) throw new Error('index.html has no </head>');
  return html.replace('</head>', `<meta name="${IMPORT_META}" content="./${loaderName}"></head>`);
}

/** The text embed.html shows when the app cannot load (the fallback script may add why). */
export const EMBED_FALLBACK = `<div class="embed-fallback" data-kind="embed-fallback" role="alert">
<p><strong>The eksplain diagram could not be loaded in this frame.</strong></p>
<p data-kind="embed-fallback-why">The browser refused its script or WebAssembly. Most often the iframe has <code>sandbox="allow-scripts"</code> without <code>allow-same-origin</code>: the frame then has no origin of its own, and a server that sends no <code>Access-Control-Allow-Origin</code> header (most static servers) is refused.</p>
<p>To fix it, use the snippet of eksplain's Embed button (<code>sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"</code>), or drop the <code>sandbox</code> attribute, or have the server send <code>Access-Control-Allow-Origin: *</code>. The server must also send <code>.wasm</code> files as <code>application/wasm</code>.</p>
</div>`;

/**
 * The fallback script: shows the message at once, with the reason, when a script, the
 * stylesheet or the wasm fails to load, and after 10 s when the app has not started. A
 * classic script of the page's origin, with SRI and `crossorigin` as the others: where they
 * are refused (an opaque origin on a server without CORS headers) it is refused too, and the
 * static text stands alone.
 */
export const EMBED_FALLBACK_SCRIPT = `// embed.html's message when the app cannot load (www/post_build.mjs).
(() => {
  const box = document.querySelector('[data-kind="embed-fallback"]');
  const why = box?.querySelector('[data-kind="embed-fallback-why"]');
  if (!box || !why) return;
  const reason = () => {
    if (location.protocol === 'file:') {
      return 'The page was opened from a file: browsers load WebAssembly only from a web server (python3 -m http.server will do).';
    }
    if (self.origin === 'null') {
      return 'This frame is sandboxed without allow-same-origin, so it has no origin of its own, and the server sends no Access-Control-Allow-Origin header: the browser refuses the diagram’s script and WebAssembly.';
    }
    return 'A file of the page did not load (a missing file, a blocked request, or .wasm not served as application/wasm). The browser console names it.';
  };
  const show = () => {
    if (!box.isConnected || document.querySelector('[data-kind="embed-view"]')) return;
    why.textContent = reason();
    box.classList.add('shown');
  };
  // Captured: a <script> or <link> that fails fires on itself, an uncaught error on window.
  addEventListener('error', show, true);
  addEventListener('unhandledrejection', show);
  setTimeout(show, 10000);
})();
`;

/** The embed module's binary name (Cargo.toml, www/index.html). */
export const EMBED_MODULE = 'eksplain-embed';

/**
 * The embed module's hashed files: its compiler (an async script: it compiles the wasm while
 * it downloads, before the stylesheet and the page are done, and leaves the promise in
 * `self.eksplainEmbedWasm`), its glue, which ends by starting that compiled wasm — or, when
 * the compiler could not (no script, a server that does not send `application/wasm`), by
 * fetching it itself as wasm-bindgen does — and the wasm's name and integrity. Both fetches
 * carry the wasm's SRI hash, so the preload of the page, which carries the same, serves them.
 */
export function embedModule(js, wasm) {
  const hash = createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 16);
  const base = `${EMBED_MODULE}-${hash}`;
  const wasmName = `${base}_bg.wasm`;
  const wasmIntegrity = integrity(wasm);
  const fetchWasm = `fetch('./${wasmName}', { integrity: '${wasmIntegrity}' })`;
  // Issue 17: without it the compile began only when the deferred glue ran, after the
  // stylesheet and the whole page, long after the wasm had arrived.
  const compile =
    `// embed.html's wasm, compiled while it downloads (www/post_build.mjs); the glue starts it.\n` +
    `if (self.eksplainEmbedWasm === undefined) {\n` +
    `  self.eksplainEmbedWasm = WebAssembly.compileStreaming(${fetchWasm}).catch(() => null);\n` +
    `}\n`;
  // `wasm_bindgen` takes a compiled module, or fetches a string; a fetch of our own carries
  // the integrity. The entry is `main` (src/bin/eksplain_embed.rs), which wasm-bindgen runs
  // once the wasm is instantiated.
  // A glue that runs first (the compiler late) fetches the wasm itself, and the compiler then
  // does nothing (`false`).
  const start =
    `{\n` +
    `  const compiling = self.eksplainEmbedWasm;\n` +
    `  self.eksplainEmbedWasm = false;\n` +
    `  Promise.resolve(compiling).then((compiled) => wasm_bindgen({ module_or_path: compiled || ${fetchWasm} }));\n` +
    `}`;
  return {
    js: { name: `${base}.js`, text: `${js}\n// Started by www/post_build.mjs.\n${start}\n` },
    compile: { name: `${base}_compile.js`, text: compile },
    wasm: { name: wasmName, integrity: wasmIntegrity },
  };
}

/**
 * embed.html from index.html (after `externalizeScripts`, before `withImportMeta`): the
 * editor's loader, script and wasm preloads taken out, the embed module's (from
 * `embedModule`) put in; `fallback`: the fallback script ({ name, text }).
 */
export function embedPage(html, module, fallback) {
  const editor = [
    // trunk's preloads of the editor's glue and wasm.
    /<link rel="(?:modulepreload|preload)"[^>]*>\s*/g,
    // trunk's loader, as `externalizeScripts` left it.
    /<script type="module" src="\.\/init-[^"]*"[^>]*><\/script>\s*/g,
    // The editor's stylesheet (www/style.css): the page keeps the diagram's (www/diagram.css).
    /<link rel="stylesheet" href="\.\/style-[^"]*"[^>]*>\s*/g,
  ];
  let out = html;
  for (const re of editor) out = out.replace(re, '');
  // index.html's notes on its worker links (the import and embed modules): not this page's.
  out = out.replace(/[ \t]*<!--(?:(?!-->)[\s\S])*src\/bin\/eksplain_(?:import|embed)\.rs(?:(?!-->)[\s\S])*-->\s*/g, '');
  if (!out.includes('</head>')) throw new Error('index.html has no </head>');
  const head =
    `<link rel="preload" href="./${module.wasm.name}" crossorigin="anonymous" integrity="${module.wasm.integrity}" as="fetch" type="application/wasm">\n` +
    `<script async src="./${module.compile.name}" integrity="${integrity(module.compile.text)}" crossorigin="anonymous"></script>\n` +
    `<script defer src="./${module.js.name}" integrity="${integrity(module.js.text)}" crossorigin="anonymous"></script>\n</head>`;
  out = out
    .replace('</head>', head)
    .replace(
      '<body>',
      `<body data-mode="embed">\n${EMBED_FALLBACK}\n<script src="./${fallback.name}" integrity="${integrity(fallback.text)}" crossorigin="anonymous"></script>`,
    )
    .replaceAll('<link rel="stylesheet" ', '<link rel="stylesheet" crossorigin="anonymous" ')
    .replace(/<title>[^<]*<\/title>/, '<title>eksplain — diagram</title>');
  if (!out.includes('data-mode="embed"')) throw new Error('index.html has no plain <body>');
  if (!/<link rel="stylesheet" crossorigin="anonymous" href="\.\/diagram-/.test(out)) {
    throw new Error("embed.html links no diagram stylesheet (www/diagram.css): trunk's output changed?");
  }
  // Nothing of the editor is left to fetch.
  const left = out.match(/(?:src|href|content)="[^"]*(?:eksplain-web|eksplain-import|\/init-|\/style-)[^"]*"/);
  if (left) throw new Error(`embed.html still names a file of the editor, ${left[0]}: trunk's output changed?`);
  return out;
}

/**
 * What trunk wrote for the `data-type="worker"` rust link of binary `name` (its no-modules
 * glue and wasm, under the bare name): paths and contents. Fails the build when it is missing.
 */
function workerOutput(dir, name) {
  const js = join(dir, `${name}.js`);
  const wasm = join(dir, `${name}_bg.wasm`);
  try {
    return { js, wasm, jsText: readFileSync(js, 'utf8'), wasmBytes: readFileSync(wasm) };
  } catch {
    throw new Error(`trunk wrote no ${name}.js and _bg.wasm: is its worker link in index.html?`);
  }
}

function main() {
  const dir = process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run by trunk (Trunk.toml)');
  const index = join(dir, 'index.html');
  const { html, files } = externalizeScripts(readFileSync(index, 'utf8'));
  if (!files.some((f) => f.name.startsWith('init-'))) {
    throw new Error("index.html has no inline wasm loader: trunk's output changed?");
  }
  for (const { name, text } of files) writeFileSync(join(dir, name), text);
  const { js, wasm, jsText, wasmBytes } = workerOutput(dir, IMPORT_MODULE);
  const module = importModule(jsText, wasmBytes);
  writeFileSync(join(dir, module.js.name), module.js.text);
  unlinkSync(js);
  renameSync(wasm, join(dir, module.wasm));
  writeFileSync(join(dir, module.loader.name), module.loader.text);
  writeFileSync(join(dir, module.opener.name), module.opener.text);
  const page = withImportMeta(html, module.loader.name);
  writeFileSync(index, page);
  const {
    js: embedJs,
    wasm: embedWasm,
    jsText: embedJsText,
    wasmBytes: embedWasmBytes,
  } = workerOutput(dir, EMBED_MODULE);
  const embed = embedModule(embedJsText, embedWasmBytes);
  writeFileSync(join(dir, embed.js.name), embed.js.text);
  writeFileSync(join(dir, embed.compile.name), embed.compile.text);
  unlinkSync(embedJs);
  renameSync(embedWasm, join(dir, embed.wasm.name));
  const fallback = { name: fileName('embed-fallback', EMBED_FALLBACK_SCRIPT), text: EMBED_FALLBACK_SCRIPT };
  writeFileSync(join(dir, fallback.name), fallback.text);
  writeFileSync(join(dir, 'embed.html'), embedPage(html, embed, fallback));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (err) {
    console.error(`www/post_build.mjs: ${err.message}`);
    process.exit(1);
  }
}
