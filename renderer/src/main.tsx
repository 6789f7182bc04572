import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/connect.ts';
import { ApiContext } from './api/context.tsx';
import { App } from './App.tsx';
import { NoticeProvider } from './components/Notices.tsx';
import './styles/app.css';

const api = connect();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiContext.Provider value={api}>
      <NoticeProvider>
        <App />
      </NoticeProvider>
    </ApiContext.Provider>
  </StrictMode>,
);
