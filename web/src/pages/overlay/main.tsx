import './overlay.css';
import { overlayOptions } from '../../overlay/overlay_options';
import { mount, pathId } from '../shell';
import { OverlayPage } from './overlay_page';

const room = Number(pathId());
mount(<OverlayPage room={Number.isSafeInteger(room) && room > 0 ? room : 1} options={overlayOptions(window.location.search)} />);
