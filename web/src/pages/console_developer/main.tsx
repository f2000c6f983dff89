import '../page.css';
import './console_developer.css';
import { Login, pageSession } from '../login';
import { mount, Page } from '../shell';
import { DeveloperConsole } from './developer_console';

mount(
    <Page title="Developer console">
        <Login session={pageSession()} />
        <DeveloperConsole />
    </Page>,
);
