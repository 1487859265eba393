// Regenerates ../assets/ (committed, embedded by the Rust crate with include_str!):
// basemap.json (Natural Earth 1:50m land and country borders from world-atlas, as
// delta-coded lon/lat polylines at 0.01°), viewer.min.js, viewer.min.css. The page template
// web/src/replay.html is embedded as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';
import { transformSync } from 'esbuild';

const require = createRequire(import.meta.url);
const here = new URL('.', import.meta.url);
const out = new URL('../assets/', here);
const atlas = (name) => JSON.parse(readFileSync(require.resolve('world-atlas/' + name), 'utf8'));

// A ring or line as [lon0, lat0, dlon, dlat, …] in hundredths of a degree, repeated points dropped.
function encode(coords) {
  const q = [];
  let plo = 0, pla = 0, first = true;
  for (const [lon, lat] of coords) {
    const lo = Math.round(lon * 100), la = Math.round(lat * 100);
    if (!first && lo === plo && la === pla) continue;
    q.push(lo - (first ? 0 : plo), la - (first ? 0 : pla));
    plo = lo; pla = la; first = false;
  }
  return q;
}
const landGeo = feature(atlas('land-50m.json'), 'land');
const land = [];
for (const f of landGeo.features) {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const poly of polys) for (const ring of poly) { const e = encode(ring); if (e.length >= 6) land.push(e); }
}
const countries = atlas('countries-50m.json');
const bmesh = mesh(countries, countries.objects.countries, (a, b) => a !== b);
const borders = bmesh.coordinates.map(encode).filter((e) => e.length >= 4);
writeFileSync(new URL('basemap.json', out), JSON.stringify({
  source: 'Natural Earth 1:50m (public domain) via world-atlas 2.0.2',
  land, borders,
}));
const js = transformSync(readFileSync(new URL('src/viewer.js', here), 'utf8'), { minify: true, target: 'es2020' }).code;
writeFileSync(new URL('viewer.min.js', out), js);
const css = transformSync(readFileSync(new URL('src/viewer.css', here), 'utf8'), { loader: 'css', minify: true }).code;
writeFileSync(new URL('viewer.min.css', out), css);
console.log('assets: basemap', land.length, 'rings', borders.length, 'borders; js', js.length, 'B; css', css.length, 'B');
