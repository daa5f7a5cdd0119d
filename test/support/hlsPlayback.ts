import { expect } from 'chai';

/**
 * Plays a published video as its player page does: opens /publish/v/<id> for the media cookie, reads the master
 * playlist, then each rendition's playlist and its first segment. Returns the renditions' resolutions.
 */
export async function playPublished(appUrl: string, fileId: string): Promise<string[]> {
  const page = await fetch(`${appUrl}/publish/v/${fileId}`);
  expect(page.status, 'the player page').to.equal(200);
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('vc_media='))!.split(';')[0]!;
  const get = (p: string) => fetch(`${appUrl}/publish/${fileId}${p}`, { headers: { Cookie: cookie } });
  const master = await get('/stream/multi/master.m3u8');
  expect(master.status, 'the master playlist').to.equal(200);
  const text = await master.text();
  const resolutions = [...text.matchAll(/RESOLUTION=(\d+x\d+)/g)].map((m) => m[1]!);
  for (const rendition of [...text.matchAll(/^\.\.\/\.\.\/([^/\s]+)\/video\.m3u8$/gm)].map((m) => m[1]!)) {
    const variant = await get(`/${rendition}/video.m3u8`);
    expect(variant.status, `the ${rendition} playlist`).to.equal(200);
    const segment = /^seg_\d+\.ts$/m.exec(await variant.text())![0];
    const ts = await get(`/${rendition}/${segment}`);
    expect(ts.status, `a ${rendition} segment`).to.equal(200);
    expect((await ts.arrayBuffer()).byteLength).to.be.greaterThan(1000);
  }
  return resolutions;
}
