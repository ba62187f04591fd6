import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { navigate } from './lib/router.ts';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);

if ('serviceWorker' in navigator) {
  void navigator.serviceWorker.register('/sw.js').catch(() => {});
  // A click on a notification while the app is open: go to the conversation without reloading.
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data?.type === 'open' && typeof e.data.url === 'string') navigate(new URL(e.data.url).pathname);
  });
}
