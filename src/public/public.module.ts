import { PublicController, ApplicationRateGuard } from './public.controller';
import { PublicPage, PublicPageController } from './public-page.controller';
import { PublicLimits } from './public-limits';
import { PublicService } from './public.service';
import { PublicStatusReader } from './public-status.reader';

/** The workers' side (SPEC §10), registered in AppModule: its routes, and the page served at `/`. */
export const PUBLIC_CONTROLLERS = [PublicController, PublicPageController];
export const PUBLIC_PROVIDERS = [
  PublicService,
  PublicStatusReader,
  PublicLimits,
  PublicPage,
  ApplicationRateGuard,
];
