import '../page.css';
import './console_developer.css';
import { mount, Page } from '../shell';

mount(
    <Page title="Developer console">
        <p>Coming soon.</p>
    </Page>,
);
