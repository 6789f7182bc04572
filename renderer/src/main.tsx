import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { connect } from './api/connect.ts';
import { ApiContext } from './api/context.tsx';
import { App } from './App.tsx';
import { NoticeProvider } from './components/Notices.tsx';
import { NoToken } from './components/NoToken.tsx';
import './styles/app.css';

// zod probes for eval with `new Function('')`, which the CSP (rightly) refuses and reports; tell it not to try.
z.config({ jitless: true });

const api = connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {api ? (
      <ApiContext.Provider value={api}>
        <NoticeProvider>
          <App />
        </NoticeProvider>
      </ApiContext.Provider>
    ) : (
      <NoToken />
    )}
  </StrictMode>,
);
