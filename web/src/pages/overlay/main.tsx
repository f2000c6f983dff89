import '../page.css';
import './overlay.css';
import { mount, Page, pathId } from '../shell';

mount(
    <Page title="OBS overlay">
        <p>Room {pathId()}</p>
    </Page>,
);
