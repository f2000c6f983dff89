import '../page.css';
import './console_streamer.css';
import { mount, Page } from '../shell';

mount(
    <Page title="Streamer console">
        <p>Coming soon.</p>
    </Page>,
);
