// npx tsx scripts/take-screenshots.ts (after npm run build): the README's screenshot of a register
// on a tablet, with seeded learners and a few marks. Only 127.0.0.1 is contacted.
import { seedRegister } from '../bench/seedRegister';
import { launchBrowser, waitForServiceWorkerControl } from '../tests/helpers/browser';
import { startServer } from '../tests/helpers/server';

async function main() {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    const sessionId = await seedRegister(page, 6);
    await page.goto(`${server.url}/sessions/${sessionId}`);
    const presents = page.getByRole('button', { name: /^Present/ });
    await presents.first().waitFor();
    for (const index of [0, 1, 3]) await presents.nth(index).click();
    await page.getByRole('button', { name: /^Late/ }).nth(2).click();
    await page.getByText('4 of 6 marked').waitFor();
    await page.screenshot({ path: 'docs/screenshots/register.png', fullPage: false });
  } finally {
    await browser.close();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
