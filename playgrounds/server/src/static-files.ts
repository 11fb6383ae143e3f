import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

/**
 * Serves one built playground (a Vite `dist/`) under its base path. Unknown
 * paths get `index.html`, so `/react/?run=…` and deep links load the app.
 */
export function staticApp(root: string): (pathname: string) => Promise<Response> {
  const base = normalize(root)
  return async (pathname) => {
    const file = normalize(join(base, decodeURIComponent(pathname)))
    // `..` segments must not climb out of the app's folder.
    if (file !== base && !file.startsWith(base + sep)) return new Response('Not found', { status: 404 })
    const target = (await isFile(file)) ? file : join(base, 'index.html')
    try {
      const body = await readFile(target)
      const hashed = target.includes(`${sep}assets${sep}`)
      return new Response(body, {
        headers: {
          'content-type': contentTypes[extname(target)] ?? 'application/octet-stream',
          // Vite fingerprints assets; index.html must always be fresh so a rebuild shows up.
          'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
      })
    } catch {
      return new Response(`Not built: run \`vite build\` in ${root}`, { status: 404 })
    }
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
