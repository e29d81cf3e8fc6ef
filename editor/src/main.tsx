// Entry point: mounts the editor.
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import './ui/theme.js'; // sets data-theme before the first paint
import { App } from './ui/App.js';

createRoot(document.getElementById('root')!).render(<App />);
