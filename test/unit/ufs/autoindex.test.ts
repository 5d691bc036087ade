import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAutoindex, parseSize } from '../../../src/core/ufs/autoindex.js';

// Literal listing samples written for these tests, shaped like each server's output.
const NGINX = `<html>
<head><title>Index of /data/hbase/</title></head>
<body>
<h1>Index of /data/hbase/</h1><hr><pre><a href="../">../</a>
<a href="docs/">docs/</a>                                              23-Nov-2026 03:22                   -
<a href="CHANGES.md">CHANGES.md</a>                                         23-Nov-2026 03:21             1153433
<a href="a%20b%26c.txt">a b&amp;c.txt</a>                                       01-Feb-2025 11:05                  12
<a href="very-long-name-that-nginx-truncates-in-the-text-col..&gt;">very-long-name-that-nginx-truncates-in-the-text-col..&gt;</a> 02-Mar-2024 00:00    5
</pre><hr></body>
</html>
`;

const APACHE_TABLE = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html><head><title>Index of /apache/hbase/stable</title></head><body>
<h1>Index of /apache/hbase/stable</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/apache/hbase/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/text.gif" alt="[TXT]"></td><td><a href="CHANGES.md">CHANGES.md</a></td><td align="right">2021-05-20 10:00  </td><td align="right">1.1M</td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="hbase-2.3.5-bin.tar.gz">hbase-2.3.5-bin.tar.gz</a></td><td align="right">2021-05-20 10:00  </td><td align="right">263M</td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/folder.gif" alt="[DIR]"></td><td><a href="sub/">sub/</a></td><td align="right">2021-05-21 08:30  </td><td align="right">  - </td><td>&nbsp;</td></tr>
<tr><td valign="top"><img src="/icons/unknown.gif" alt="[   ]"></td><td><a href="https://elsewhere.example/x.tar.gz">x.tar.gz</a></td><td align="right">2021-05-20 10:00  </td><td align="right">1K</td><td>&nbsp;</td></tr>
   <tr><th colspan="5"><hr></th></tr>
</table>
<address>Apache Server at example Port 80</address>
</body></html>
`;

const APACHE_PRE = `<html><head><title>Index of /pub</title></head><body>
<h1>Index of /pub</h1>
<pre><img src="/icons/blank.gif" alt="Icon "> <a href="?C=N;O=D">Name</a>                    <a href="?C=M;O=A">Last modified</a>      <a href="?C=S;O=A">Size</a>  <a href="?C=D;O=A">Description</a><hr><img src="/icons/back.gif" alt="[PARENTDIR]"> <a href="/">Parent Directory</a>                             -   
<img src="/icons/text.gif" alt="[TXT]"> <a href="RELEASENOTES.md">RELEASENOTES.md</a>         2021-05-20 10:00  652K  
<img src="/icons/text.gif" alt="[TXT]"> <a href="api.html">api.html</a>                2021-05-20 10:01   29K  
<img src="/icons/folder.gif" alt="[DIR]"> <a href="old/">old/</a>                    2020-01-02 03:04    -   
<img src="/icons/text.gif" alt="[TXT]"> <a href="small.txt">small.txt</a>               2020-01-02 03:04  263   
<hr></pre>
</body></html>
`;

test('GIVEN an nginx autoindex page WHEN parsed THEN exact sizes, UTC times, decoded names and directories are returned and ../ is skipped', () => {
  const entries = parseAutoindex(NGINX, 'http://127.0.0.1:8080/data/hbase/');
  assert.deepEqual(entries.map((e) => e.name), ['docs', 'CHANGES.md', 'a b&c.txt', 'very-long-name-that-nginx-truncates-in-the-text-col..>']);
  assert.deepEqual(entries[0], { name: 'docs', kind: 'directory', size: undefined, sizeExact: false, mtimeMs: Date.UTC(2026, 10, 23, 3, 22) });
  assert.deepEqual(entries[1], { name: 'CHANGES.md', kind: 'file', size: 1153433, sizeExact: true, mtimeMs: Date.UTC(2026, 10, 23, 3, 21) });
  assert.equal(entries[2]?.size, 12);
  assert.equal(entries[2]?.mtimeMs, Date.UTC(2025, 1, 1, 11, 5));
});

test('GIVEN an Apache table listing WHEN parsed THEN human sizes are flagged inexact and parent, sort and foreign links are skipped', () => {
  const entries = parseAutoindex(APACHE_TABLE, 'https://mirror.example/apache/hbase/stable/');
  assert.deepEqual(entries.map((e) => [e.name, e.kind]), [['CHANGES.md', 'file'], ['hbase-2.3.5-bin.tar.gz', 'file'], ['sub', 'directory']]);
  assert.deepEqual(entries[0], { name: 'CHANGES.md', kind: 'file', size: Math.round(1.1 * 1024 * 1024), sizeExact: false, mtimeMs: Date.UTC(2021, 4, 20, 10, 0) });
  assert.equal(entries[1]?.size, 263 * 1024 * 1024);
  assert.equal(entries[2]?.mtimeMs, Date.UTC(2021, 4, 21, 8, 30));
});

test('GIVEN an Apache listing fetched without a trailing slash WHEN parsed THEN links still resolve against the directory', () => {
  const entries = parseAutoindex(APACHE_TABLE, 'https://mirror.example/apache/hbase/stable');
  assert.equal(entries.length, 3);
});

test('GIVEN an Apache <pre> listing WHEN parsed THEN each row yields its own date and size', () => {
  const entries = parseAutoindex(APACHE_PRE, 'http://h/pub/');
  assert.deepEqual(entries, [
    { name: 'RELEASENOTES.md', kind: 'file', size: 652 * 1024, sizeExact: false, mtimeMs: Date.UTC(2021, 4, 20, 10, 0) },
    { name: 'api.html', kind: 'file', size: 29 * 1024, sizeExact: false, mtimeMs: Date.UTC(2021, 4, 20, 10, 1) },
    { name: 'old', kind: 'directory', size: undefined, sizeExact: false, mtimeMs: Date.UTC(2020, 0, 2, 3, 4) },
    { name: 'small.txt', kind: 'file', size: 263, sizeExact: true, mtimeMs: Date.UTC(2020, 0, 2, 3, 4) },
  ]);
});

test('GIVEN icon and name links to the same file WHEN parsed THEN one entry with the row data remains', () => {
  const html = '<pre><a href="f.bin"><img src="/i.gif" alt="[ ]"></a> <a href="f.bin">f.bin</a>  2021-01-01 00:00  10\n</pre>';
  assert.deepEqual(parseAutoindex(html, 'http://h/d/'), [
    { name: 'f.bin', kind: 'file', size: 10, sizeExact: true, mtimeMs: Date.UTC(2021, 0, 1) },
  ]);
});

test('GIVEN links outside the directory WHEN parsed THEN none of them are entries', () => {
  const html = ['../', './', '/', '/other/x', 'sub/deeper/file', '#top', '?C=S;O=A', 'mailto:a@b', '//cdn.example/x', 'x?download=1']
    .map((h) => `<a href="${h}">${h}</a>`).join('\n');
  assert.deepEqual(parseAutoindex(html, 'http://h/d/'), []);
});

test('GIVEN absolute links to direct children WHEN parsed THEN they are accepted', () => {
  const html = '<a href="/d/x.txt">x.txt</a> 2021-01-01 00:00 3\n<a href="http://h/d/y/">y/</a>';
  assert.deepEqual(parseAutoindex(html, 'http://h/d/').map((e) => e.name), ['x.txt', 'y']);
});

test('GIVEN size tokens in different styles WHEN parsed THEN bytes and exactness follow the unit', () => {
  assert.deepEqual(parseSize('12345'), { bytes: 12345, exact: true });
  assert.deepEqual(parseSize('1.1M'), { bytes: Math.round(1.1 * 1048576), exact: false });
  assert.deepEqual(parseSize('1.1 MiB'), { bytes: Math.round(1.1 * 1048576), exact: false });
  assert.deepEqual(parseSize('3 KB'), { bytes: 3072, exact: false });
  assert.deepEqual(parseSize('2G'), { bytes: 2 * 1024 ** 3, exact: false });
  assert.equal(parseSize('-'), undefined);
  assert.equal(parseSize(''), undefined);
});

test('GIVEN a fancyindex-style table with the size before the date WHEN parsed THEN both are read', () => {
  const html = `<table id="list"><thead><tr><th><a href="?C=N&amp;O=A">File Name</a></th><th><a href="?C=S&amp;O=A">File Size</a></th><th><a href="?C=M&amp;O=A">Date</a></th></tr></thead>
<tbody><tr><td class="link"><a href="../">Parent directory/</a></td><td class="size">-</td><td class="date">-</td></tr>
<tr><td class="link"><a href="CHANGES.md" title="CHANGES.md">CHANGES.md</a></td><td class="size">1.1 MiB</td><td class="date">2021-05-20 10:00</td></tr>
<tr><td class="link"><a href="lib/" title="lib">lib/</a></td><td class="size">-</td><td class="date">2021-05-20 10:00</td></tr>
</tbody></table>`;
  assert.deepEqual(parseAutoindex(html, 'https://mirror.example/apache/hbase/stable/'), [
    { name: 'CHANGES.md', kind: 'file', size: Math.round(1.1 * 1048576), sizeExact: false, mtimeMs: Date.UTC(2021, 4, 20, 10, 0) },
    { name: 'lib', kind: 'directory', size: undefined, sizeExact: false, mtimeMs: Date.UTC(2021, 4, 20, 10, 0) },
  ]);
});
