// README.md ("Use it") quotes the code below this header; test/readme.test.ts keeps the two identical.

// server.ts
import { createApp } from './app.js';

createApp({ issuer: 'https://login.example.com/', audience: 'api://receipts' }).listen(3000);
